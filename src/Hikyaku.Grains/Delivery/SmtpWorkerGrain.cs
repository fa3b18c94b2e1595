using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Secrets;
using Hikyaku.Domain.Sites;
using Hikyaku.Domain.Unsubscribe;
using Hikyaku.Grains.Sites;
using Hikyaku.Grains.Storage;
using Hikyaku.Smtp;
using Hikyaku.Smtp.Composition;
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
public sealed partial class SmtpWorkerGrain(
    ISmtpSender sender, LaneSignals signals, ComposerCache composers, UnsubscribeToken tokens, ReturnPaths returnPaths, SecretBox secrets,
    DeliveryOptions delivery, BlockOptions blocks, ILogger<SmtpWorkerGrain> logger)
    : Grain, ISmtpWorkerGrain
{
    public async Task<IReadOnlyList<SmtpAttempt>> Send(SmtpWork work)
    {
        var content = await GrainKeys.Message(GrainFactory, work.TenantId, work.MagazineId, work.Message).GetContent()
            ?? throw new InvalidOperationException($"{work.Message} has no content");
        MessageComposer composer;
        try
        {
            composer = await composers.GetAsync(content, () => TenantDkimKey(work.TenantId));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or MimeKit.ParseException)
        {
            // The issue itself cannot be built (its From address, say): the same for every reader, now and later.
            LogIssueNotComposable(logger, work.TenantId, work.Message.ToString(), e);
            return work.Recipients.Select(r => NotComposed(r, e)).ToList();
        }

        // Each reader's message alone: one that cannot be composed fails for that reader, not for its batch.
        var attempts = new SmtpAttempt?[work.Recipients.Count];
        var messages = new List<OutboundMessage>(work.Recipients.Count);
        var sent = new List<int>(work.Recipients.Count);
        for (var i = 0; i < work.Recipients.Count; i++)
        {
            var r = work.Recipients[i];
            try
            {
                messages.Add(composer.Compose(r, tokens.Create(work.TenantId, work.MagazineId, r), returnPaths.For(work.TenantId, work.MagazineId, r, content.MessageKey.ToString())));
                sent.Add(i);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Composing is CPU work on the issue and the address alone, no I/O: it would fail the same way again.
                LogReaderNotComposable(logger, work.TenantId, work.Message.ToString(), r, e);
                attempts[i] = NotComposed(r, e);
            }
        }

        if (messages.Count > 0)
        {
            var source = LaneKeys.BindAddress(work.SourceIp);
            var target = new IPEndPoint(IPAddress.Parse(work.TargetHost), work.TargetPort);
            var replies = new ConcurrentDictionary<string, ReplyRecord>(StringComparer.Ordinal);
            var outcomes = await sender.SendAsync(new DeliveryBatch(source, work.MxHost, target, messages, work.MaxConnections)
            {
                Halt = work.HaltAfterUnknown > 0 ? HaltWhenSuspicious(work, replies) : null,
                Relay = work.ViaRelay ? await RelayLogin(work.TenantId) : null,
            });
            for (var k = 0; k < outcomes.Count; k++)
            {
                var o = outcomes[k];
                attempts[sent[k]] = new SmtpAttempt(
                    o.Recipient,
                    o.MessageId,
                    // Classified here, once: everything downstream reads the reason and action from the record.
                    // An envelope the connection could not write is a message that cannot be composed, as above.
                    o.Halted ? ReplyRecords.From(o.Code, o.EnhancedCode, o.Text, o.Stage, false, halted: true)
                        : replies.TryGetValue(o.MessageId, out var seen) ? seen
                        : ReplyRecords.From(o.Code, o.EnhancedCode, o.Text, o.Stage, o.FromProvider, o.RefusedLocally),
                    string.Join('\n', o.Transcript));
            }
        }

        return attempts!;
    }

    public async Task<IReadOnlyList<SmtpAttempt>> SendTest(SmtpTestWork work)
    {
        // Composed as test deliveries compose it (TestMessage), so a seed mailbox sees the same message either way.
        var composer = TestMessage.Composer(TestMessage.DefaultFrom(delivery), work.TenantId, work.Purpose);
        var messages = work.Recipients.Select(r => composer.Compose(r, unsubscribeToken: "")).ToList();
        var outcomes = await sender.SendAsync(new DeliveryBatch(LaneKeys.BindAddress(work.SourceIp), work.MxHost, new IPEndPoint(IPAddress.Parse(work.TargetHost), work.TargetPort), messages));
        return outcomes.Select(o => new SmtpAttempt(
            o.Recipient, o.MessageId, ReplyRecords.From(o.Code, o.EnhancedCode, o.Text, o.Stage, o.FromProvider, o.RefusedLocally), string.Join('\n', o.Transcript))).ToList();
    }

    /// <summary>
    /// Halts the batch at the provider's first sender-blocked or rate-limit reply (going on would only hammer a provider that
    /// asked to slow down: the lane halves its pace and sends the rest later), or after <see cref="SmtpWork.HaltAfterUnknown"/> unknown-user
    /// replies with no accepted message between them; classifies each reply once on the way (kept in <paramref name="replies"/>).
    /// The lane's other batches of the same epoch halt with it (<see cref="LaneSignals"/>).
    /// </summary>
    private Func<DeliveryOutcome, bool> HaltWhenSuspicious(SmtpWork work, ConcurrentDictionary<string, ReplyRecord> replies)
    {
        var run = new StrongBox<int>();
        var rule = work.Lane is { } key ? blocks.RuleFor(LaneKeys.Split(key).SiteId) : null;
        return o =>
        {
            var reply = ReplyRecords.From(o.Code, o.EnhancedCode, o.Text, o.Stage, o.FromProvider, o.RefusedLocally);
            replies[o.MessageId] = reply;
            if (work.Lane is { } lane && signals.IsHalted(lane, work.Epoch))
            {
                return true;
            }

            if (reply.Action == ReplyAction.Accepted)
            {
                Volatile.Write(ref run.Value, 0);
                return false;
            }

            var halt = reply.FromProvider && (reply.Action is ReplyAction.SenderBlocked or ReplyAction.RateLimited
                || ((ReplyRecords.IsUnknownUser(reply) || rule?.IsFilterAfterData(reply) == true) && Interlocked.Increment(ref run.Value) >= work.HaltAfterUnknown));
            if (halt && work.Lane is { } halted)
            {
                signals.Halt(halted, work.Epoch);
            }

            return halt;
        };
    }

    /// <summary>Hikyaku's own permanent failure for one reader: no session was opened, and none would help.</summary>
    private static SmtpAttempt NotComposed(string recipient, Exception e) => new(
        recipient, string.Empty,
        ReplyRecords.Classified(new ReplyRecord(0, null, $"the message could not be composed for this address: {e.Message}", ReplyStage.Compose, false)),
        string.Empty);

    /// <summary>The tenant's relay login, its password opened only for this batch.</summary>
    private async Task<RelayLogin> RelayLogin(string tenantId)
    {
        var relay = (await GrainFactory.GetGrain<ITenantGrain>(tenantId).GetSendingSettings()).Relay
            ?? throw new InvalidOperationException($"tenant {tenantId} has no relay any more");
        string? password = null;
        if (relay.PasswordProtected is { } sealedPassword && !secrets.TryOpen(sealedPassword, out password))
        {
            // Sealed under another cluster secret: the relay will refuse the login and the lane holds its readers.
            LogRelayPasswordUnreadable(logger, tenantId, relay.Host);
        }

        return new RelayLogin(relay.Username, password, relay.UseTls);
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

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Tenant {TenantId}, message {MessageKey}: the message for {Recipient} cannot be composed; it fails for this reader")]
    private static partial void LogReaderNotComposable(ILogger logger, string tenantId, string messageKey, string recipient, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Tenant {TenantId}, message {MessageKey}: the issue cannot be composed; it fails for every reader handed to this batch")]
    private static partial void LogIssueNotComposable(ILogger logger, string tenantId, string messageKey, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Tenant {TenantId}: the password of relay {Host} cannot be opened with this cluster's secret; set it again")]
    private static partial void LogRelayPasswordUnreadable(ILogger logger, string tenantId, string host);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Tenant {TenantId}: the DKIM key for {Selector}._domainkey.{Domain} cannot be opened with this cluster's secret; mail goes out unsigned until it is set again")]
    private static partial void LogDkimKeyUnreadable(ILogger logger, string tenantId, string domain, string selector);
}
