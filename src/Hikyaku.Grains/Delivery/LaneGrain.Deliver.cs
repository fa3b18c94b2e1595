using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Delivery;

public sealed partial class LaneGrain
{
    private const int LastRepliesKept = 20;

    /// <summary>
    /// Sends one message to readers of one domain: asks each reader's history whether to send, sends, has the batch
    /// judged as a whole (each reader gets a verdict with its evidence), then has each reader record its verdict.
    /// </summary>
    private async Task Deliver(string tenantId, string magazineId, MessageKey message, string domain, List<DeliveryItem> items)
    {
        var readers = items.Select(i => GrainFactory.GetGrain<ISubscriberGrain>(GrainKeys.Reader(tenantId, magazineId, i.Email))).ToArray();
        var prepared = await Task.WhenAll(readers.Select(r => r.PrepareDelivery(message)));
        var results = new List<RecipientResult>(items.Count);
        var toSend = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            switch (prepared[i].Verdict)
            {
                case PrepareVerdict.Send: toSend.Add(i); break;
                case PrepareVerdict.AlreadyFinal: results.Add(new(items[i].Page, items[i].Index, prepared[i].FinalResult!, null)); break;
                default: results.Add(new(items[i].Page, items[i].Index, RecipientResults.Skipped, prepared[i].Reason)); break;
            }
        }

        if (toSend.Count > 0)
        {
            var route = await router.RouteAsync(domain);
            var attempts = route.Status == RouteStatus.Ok
                ? await GrainFactory.GetGrain<ISmtpWorkerGrain>(0).Send(new SmtpWork(
                    tenantId, magazineId, message, Key.SourceIp, route.MxHost, route.Target!.Address.ToString(), route.Target.Port,
                    toSend.Select(i => items[i].Email).ToList(), Math.Max(1, _throttle.Concurrency / 2)))
                : toSend.Select(i => Unroutable(items[i].Email, route)).ToList();
            var verdicts = Judge(items, toSend, attempts);
            await Record(message, route.MxHost, items, readers, toSend, attempts, verdicts, results);
            await CountSent(attempts);
        }

        if (results.Count > 0)
        {
            await GrainKeys.Message(GrainFactory, tenantId, message).RecordResults(results);
        }
    }

    /// <summary>The batch's verdicts, one per sent reader, decided before any reader records anything.</summary>
    private DeliveryVerdict[] Judge(List<DeliveryItem> items, List<int> sent, IReadOnlyList<SmtpAttempt> attempts)
    {
        var maxAttempts = options.Schedule.MaxAttempts;
        var verdicts = new DeliveryVerdict[sent.Count];
        for (var k = 0; k < sent.Count; k++)
        {
            verdicts[k] = DeliveryDecision.Decide(attempts[k].Reply, items[sent[k]].Attempt + 1 >= maxAttempts);
        }

        // One slow-down per batch that met a rate limit: the rest of the session's readers share that same reply.
        if (attempts.Any(a => a.Reply is { FromProvider: true, Action: ReplyAction.RateLimited }))
        {
            _throttle.OnRateLimited();
        }

        return verdicts;
    }

    private async Task Record(MessageKey message, string mxHost, List<DeliveryItem> items, ISubscriberGrain[] readers, List<int> sent,
        IReadOnlyList<SmtpAttempt> attempts, DeliveryVerdict[] verdicts, List<RecipientResult> results)
    {
        var recorded = await Task.WhenAll(sent.Select((itemIndex, k) =>
            readers[itemIndex].RecordAttempt(new AttemptReport(message, attempts[k].MessageId, Key.SourceIp, mxHost, attempts[k].Reply, attempts[k].Transcript, items[itemIndex].Attempt, verdicts[k]))));

        var now = time.GetUtcNow();
        var delivered = 0;
        for (var k = 0; k < sent.Count; k++)
        {
            var item = items[sent[k]];
            Remember(attempts[k].Reply);
            if (recorded[k].Result == RecipientResults.Delivered)
            {
                delivered++;
            }

            if (!RecipientResults.IsFinal(recorded[k].Result))
            {
                Requeue(item with { Attempt = item.Attempt + 1 }, now + options.Schedule.DelayAfter(item.Attempt));
            }

            results.Add(new(item.Page, item.Index, recorded[k].Result, recorded[k].Reason));
        }

        if (delivered > 0)
        {
            _throttle.OnSuccess(delivered);
        }
    }

    /// <summary>
    /// Adds what the receiving servers accepted from this lane's IP to the IP's count of the day: one call per batch,
    /// before the message hears of the results, so a finished broadcast's sends are all counted.
    /// </summary>
    private Task CountSent(IReadOnlyList<SmtpAttempt> attempts)
    {
        var accepted = attempts.Count(a => a.Reply.Action == ReplyAction.Accepted);
        return accepted == 0 || Key.SourceIp == LaneKeys.DefaultSource
            ? Task.CompletedTask
            : GrainFactory.GetGrain<ISendingIpGrain>(Key.SourceIp).RecordSent(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), accepted);
    }

    private void Remember(ReplyRecord reply)
    {
        _lastReplies.Enqueue(reply);
        while (_lastReplies.Count > LastRepliesKept)
        {
            _lastReplies.Dequeue();
        }
    }

    private static SmtpAttempt Unroutable(string email, DeliveryRoute route) =>
        route.Status == RouteStatus.Permanent
            ? new(email, string.Empty, ReplyRecords.Classified(new ReplyRecord(550, "5.1.2", $"Host unknown: {route.Error}", ReplyStage.Dns, true)), $"DNS: {route.Error}")
            : new(email, string.Empty, ReplyRecords.Classified(new ReplyRecord(0, null, $"DNS temporarily failed: {route.Error}", ReplyStage.Dns, false)), $"DNS: {route.Error}");
}
