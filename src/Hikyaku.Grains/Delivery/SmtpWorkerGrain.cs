using System.Net;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Unsubscribe;
using Hikyaku.Grains.Storage;
using Hikyaku.Smtp;
using Orleans.Concurrency;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Composes and sends a lane's batch. Stateless and reentrant: a silo runs several, each interleaving the I/O of
/// many batches, so lanes never wait on each other's connections.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class SmtpWorkerGrain(ISmtpSender sender, ComposerCache composers, UnsubscribeToken tokens, ReturnPaths returnPaths) : Grain, ISmtpWorkerGrain
{
    public async Task<IReadOnlyList<SmtpAttempt>> Send(SmtpWork work)
    {
        var content = await GrainFactory.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(work.TenantId, work.BroadcastId)).GetContent()
            ?? throw new InvalidOperationException($"broadcast {work.BroadcastId} has no content");
        var composer = composers.Get(content);
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
}
