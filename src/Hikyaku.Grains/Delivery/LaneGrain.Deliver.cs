using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Delivery;

public sealed partial class LaneGrain
{
    private const int LastRepliesKept = 20;

    /// <summary><see cref="SmtpAttempt.Kind"/> of a message the receiving server took .</summary>
    private const string AcceptedKind = nameof(Hikyaku.Smtp.DeliveryOutcomeKind.Accepted);

    /// <summary>Sends one issue to readers of one domain, and records what became of each.</summary>
    private async Task Deliver(string tenantId, string magazineId, string broadcastId, string domain, List<DeliveryItem> items)
    {
        var messageKey = $"b:{broadcastId}";
        var readers = items.Select(i => GrainFactory.GetGrain<ISubscriberGrain>(GrainKeys.Reader(tenantId, magazineId, i.Email))).ToArray();
        var prepared = await Task.WhenAll(readers.Select(r => r.PrepareDelivery(messageKey)));
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
                    tenantId, magazineId, broadcastId, Key.SourceIp, route.MxHost, route.Target!.Address.ToString(), route.Target.Port,
                    toSend.Select(i => items[i].Email).ToList(), Math.Max(1, _throttle.Concurrency / 2)))
                : toSend.Select(i => Unroutable(items[i].Email, route)).ToList();
            await Record(messageKey, broadcastId, route.MxHost, items, readers, toSend, attempts, results);
            await CountSent(attempts);
        }

        if (results.Count > 0)
        {
            await GrainFactory.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(tenantId, broadcastId)).RecordResults(results);
        }
    }

    private async Task Record(string messageKey, string broadcastId, string mxHost, List<DeliveryItem> items, ISubscriberGrain[] readers, List<int> sent, IReadOnlyList<SmtpAttempt> attempts, List<RecipientResult> results)
    {
        var schedule = options.Schedule;
        var recorded = await Task.WhenAll(sent.Select((itemIndex, k) =>
        {
            var item = items[itemIndex];
            var attempt = attempts[k];
            var last = item.Attempt + 1 >= schedule.MaxAttempts;
            return readers[itemIndex].RecordAttempt(new AttemptReport(messageKey, broadcastId, attempt.MessageId, Key.SourceIp, mxHost, attempt.Reply, attempt.Transcript, item.Attempt, last));
        }));

        var now = time.GetUtcNow();
        var delivered = 0;
        for (var k = 0; k < sent.Count; k++)
        {
            var item = items[sent[k]];
            var reply = attempts[k].Reply;
            Remember(reply);
            if (recorded[k].Result == RecipientResults.Delivered)
            {
                delivered++;
            }

            if (recorded[k].Result == RecipientResults.Deferred)
            {
                var due = now + schedule.DelayAfter(item.Attempt);
                Requeue(item with { Attempt = item.Attempt + 1 }, due);
            }

            results.Add(new(item.Page, item.Index, recorded[k].Result, recorded[k].Reason));
        }

        if (delivered > 0)
        {
            _throttle.OnSuccess(delivered);
        }

        // One slow-down per batch that met a 421: the rest of the session's readers share that same reply.
        if (attempts.Any(a => a.Reply.FromProvider && a.Reply.Code == 421))
        {
            _throttle.OnRateLimited();
        }
    }

    /// <summary>
    /// Adds what the receiving servers accepted from this lane's IP to the IP's count of the day: one call per batch,
    /// before the broadcast hears of the results, so a finished broadcast's sends are all counted.
    /// </summary>
    private Task CountSent(IReadOnlyList<SmtpAttempt> attempts)
    {
        var accepted = attempts.Count(a => a.Kind == AcceptedKind);
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

    private static SmtpAttempt Unroutable(string email, Delivery.DeliveryRoute route) =>
        route.Status == RouteStatus.Permanent
            ? new(email, string.Empty, "Rejected", new ReplyRecord(550, "5.1.2", $"Host unknown: {route.Error}", "dns", true), $"DNS: {route.Error}")
            : new(email, string.Empty, "NotAttempted", new ReplyRecord(0, null, $"DNS temporarily failed: {route.Error}", "dns", false), $"DNS: {route.Error}");
}
