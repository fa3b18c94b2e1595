using System.Net;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Secrets;
using Hikyaku.Domain.Unsubscribe;
using Hikyaku.Grains.Storage;
using Hikyaku.Smtp;
using Hikyaku.Smtp.Dkim;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Composes and sends a lane's batch. Stateless and reentrant: a silo runs several, each interleaving the I/O of
/// many batches, so lanes never wait on each other's connections.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed partial class SmtpWorkerGrain(ISmtpSender sender, ComposerCache composers, UnsubscribeToken tokens, ReturnPaths returnPaths, SecretBox secrets, ILogger<SmtpWorkerGrain> logger)
    : Grain, ISmtpWorkerGrain
{
    public async Task<IReadOnlyList<SmtpAttempt>> Send(SmtpWork work)
    {
        var content = await GrainFactory.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(work.TenantId, work.BroadcastId)).GetContent()
            ?? throw new InvalidOperationException($"broadcast {work.BroadcastId} has no content");
        var composer = await composers.GetAsync(content, () => TenantDkimKey(work.TenantId));
        var messages = work.Recipients
            .Select(r => composer.Compose(r, tokens.Create(work.TenantId, work.MagazineId, r), returnPaths.For(work.TenantId, work.MagazineId, r, content.MessageKey)))
            .ToList();
        var source = work.SourceIp == LaneKeys.DefaultSource ? IPAddress.Any : IPAddress.Parse(work.SourceIp);
        var target = new IPEndPoint(IPAddress.Parse(work.TargetHost), work.TargetPort);
        var outcomes = await sender.SendAsync(new DeliveryBatch(source, work.MxHost, target, messages, work.MaxConnections));
        return outcomes.Select(o => new SmtpAttempt(
            o.Recipient,
            o.MessageId,
            o.Kind.ToString(),
            new ReplyRecord(o.Code, o.EnhancedCode, o.Text, o.Stage.ToString().ToLowerInvariant(), o.FromProvider),
            string.Join('\n', o.Transcript))).ToList();
    }

    private async Task<DkimKey?> TenantDkimKey(string tenantId)
    {
        if (await GrainFactory.GetGrain<ITenantGrain>(tenantId).GetDkim() is not { } dkim)
        {
            return null;
        }

        if (!secrets.TryOpen(dkim.PrivateKeySealed, out var pem))
        {
            // Sealed under another cluster secret (the admin key changed): sending unsigned beats not sending.
            LogDkimKeyUnreadable(logger, tenantId, dkim.Domain, dkim.Selector);
            return null;
        }

        return DkimKey.FromPem(pem, dkim.Domain, dkim.Selector);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Tenant {TenantId}: the DKIM key for {Selector}._domainkey.{Domain} cannot be opened with this cluster's secret; mail goes out unsigned until it is set again")]
    private static partial void LogDkimKeyUnreadable(ILogger logger, string tenantId, string domain, string selector);
}
