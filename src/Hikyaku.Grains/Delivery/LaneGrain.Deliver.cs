using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Sites;
using Hikyaku.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Delivery;

public sealed partial class LaneGrain
{
    private const int LastRepliesKept = 20;

    /// <summary>Unknown-user replies in a row that halt a batch for the site to judge it.</summary>
    private const int HaltAfterUnknown = 3;

    /// <summary>When a reader whose message met the provider's rate limit is offered again (the lane's pace decides the rest).</summary>
    private static readonly TimeSpan RateLimitedRetry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sends one message to readers of one domain: asks each reader's history whether to send, sends, has the site judge
    /// the batch as a whole (each reader gets a verdict with its evidence), then has each reader record its verdict.
    /// </summary>
    private async Task Deliver(string tenantId, string magazineId, MessageKey message, string domain, List<DeliveryItem> items, long epoch)
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
            var route = Relay ? await RelayRoute(tenantId) : await router.RouteAsync(domain);
            var attempts = route.Status == RouteStatus.Ok
                ? await GrainFactory.GetGrain<ISmtpWorkerGrain>(0).Send(new SmtpWork(
                    tenantId, magazineId, message, Key.SourceIp, route.MxHost, route.Target!.Address.ToString(), route.Target.Port,
                    // One connection a batch: the lane's batches in flight are its connections (Concurrency), so when one meets a
                    // block, at most one RCPT on each of the others is already on its way.
                    toSend.Select(i => items[i].Email).ToList(), 1, HaltAfterUnknown, this.GetPrimaryKeyString(), epoch, ViaRelay: Relay))
                : toSend.Select(i => Unroutable(items[i].Email, route)).ToList();

            // A halted message was never offered: it goes back to the queue as it was, without an attempt.
            var now = time.GetUtcNow();
            var offered = new List<int>(toSend.Count);
            var replies = new List<SmtpAttempt>(toSend.Count);
            for (var k = 0; k < toSend.Count; k++)
            {
                if (attempts[k].Reply.Reason == ReplyRecords.HaltedReason)
                {
                    Requeue(items[toSend[k]], now);
                }
                else
                {
                    offered.Add(toSend[k]);
                    replies.Add(attempts[k]);
                }
            }

            if (offered.Count > 0)
            {
                var judgement = await Judge(tenantId, magazineId, items, prepared, offered, replies);
                await Record(message, route.MxHost, items, readers, offered, replies, judgement, results);
                await CountSent(replies);
            }

            if (offered.Count < toSend.Count)
            {
                // The halt is over once the site has judged: batches started from now on are a new epoch.
                _epoch = Math.Max(_epoch, epoch + 1);
            }
        }

        if (results.Count > 0)
        {
            await GrainKeys.Message(GrainFactory, tenantId, magazineId, message).RecordResults(results);
        }
    }

    /// <summary>The site's verdicts, one per offered reader, decided before any reader records anything.</summary>
    private async Task<LaneJudgement> Judge(string tenantId, string magazineId, List<DeliveryItem> items, PrepareResult[] prepared, List<int> offered, List<SmtpAttempt> attempts)
    {
        var maxAttempts = options.Schedule.MaxAttempts;
        var now = time.GetUtcNow();
        var replies = offered.Select((i, k) => new JudgedReply(
            GrainKeys.Reader(tenantId, magazineId, items[i].Email), items[i], attempts[k].Reply, prepared[i].DeliveredBefore,
            items[i].Attempt + 1 >= maxAttempts, now, attempts[k].Reply.Action == ReplyAction.Accepted ? null : attempts[k].Transcript)).ToList();
        var judgement = await Site.Judge(tenantId, Key.SourceIp, _throttle.Rate, replies);
        SetGate(judgement.Gate, now);
        if (judgement.RateLimited)
        {
            // The provider asked to slow down: half the pace and connections, once for the batches that were in flight together.
            _throttle.OnRateLimited(now);
        }

        foreach (var reclaimed in judgement.Reclaimed.Where(r => r.Readers.Count > 0))
        {
            await Reclaim(reclaimed, now);
        }

        return judgement;
    }

    private async Task Record(MessageKey message, string mxHost, List<DeliveryItem> items, ISubscriberGrain[] readers, List<int> offered,
        List<SmtpAttempt> attempts, LaneJudgement judgement, List<RecipientResult> results)
    {
        var recorded = await Task.WhenAll(offered.Select((itemIndex, k) =>
            readers[itemIndex].RecordAttempt(new AttemptReport(message, attempts[k].MessageId, Key.SourceIp, mxHost, attempts[k].Reply, attempts[k].Transcript, items[itemIndex].Attempt, judgement.Verdicts[k]))));

        var now = time.GetUtcNow();
        var delivered = 0;
        var held = new List<DeliveryItem>();
        for (var k = 0; k < offered.Count; k++)
        {
            var item = items[offered[k]];
            Remember(attempts[k].Reply);
            if (recorded[k].Result == RecipientResults.Delivered)
            {
                delivered++;
            }
            else if (recorded[k].Result == RecipientResults.Held
                || (recorded[k].Result == RecipientResults.Deferred && judgement.Verdicts[k].Reason == LaneJudgeReasons.Suspect))
            {
                // Held, or unknown on a suspect lane: checked from a clean IP before anything is decided about the address. A
                // suspect reader is not held (yet): if it finds no clean lane, the block it waits behind holds it then.
                var heldSince = recorded[k].Result == RecipientResults.Held ? item.HeldSince ?? now : item.HeldSince;
                held.Add(item with { Attempt = item.Attempt + 1, RecheckOf = Key.SourceIp, HeldSince = heldSince, RefusedAt = now });
            }
            else if (recorded[k].Result == RecipientResults.Deferred && attempts[k].Reply.Action == ReplyAction.RateLimited)
            {
                // The provider asked the lane to slow down, not this reader to wait: it goes again at the lane's new pace.
                Requeue(item with { Attempt = item.Attempt + 1 }, now + RateLimitedRetry);
            }
            else if (recorded[k].Result == RecipientResults.Deferred)
            {
                Requeue(item with { Attempt = item.Attempt + 1 }, now + options.Schedule.DelayAfter(item.Attempt));
            }

            results.Add(new(item.Page, item.Index, recorded[k].Result, recorded[k].Reason));
        }

        if (delivered > 0)
        {
            _warm = true;
            _throttle.OnSuccess(delivered, now);
        }

        if (held.Count > 0)
        {
            // Not the readers' fault: they go out from another IP that is clean for this provider, or wait here.
            await MoveElsewhere(held, now, requeue: true);
        }
    }

    /// <summary>
    /// Readers error-stopped by this lane's replies before the block was seen: the block names them; each is held instead,
    /// its message's result opened again, and it is sent from a clean lane.
    /// </summary>
    private async Task Reclaim(ReclaimedReaders reclaimed, DateTimeOffset now)
    {
        var blockId = reclaimed.BlockId;
        var taken = await Task.WhenAll(reclaimed.Readers.Select(r => GrainFactory.GetGrain<ISubscriberGrain>(r.Reader).ReclaimForBlock(blockId, r.Item.Message, reclaimed.SourceIp)));
        var back = reclaimed.Readers.Where((_, i) => taken[i]).Select(r => r.Item).ToList();
        foreach (var byMessage in back.GroupBy(i => (i.TenantId, i.MagazineId, i.Message)))
        {
            await GrainKeys.Message(GrainFactory, byMessage.Key.TenantId, byMessage.Key.MagazineId, byMessage.Key.Message)
                .RecordResults(byMessage.Select(i => new RecipientResult(i.Page, i.Index, RecipientResults.Held, $"block:{blockId}", Reopens: true)).ToList());
        }

        // A step story's scheduler hands it out again (the reopened story is the reader's next): sent on from here too, it
        // would wait in two lanes and go out twice when they open.
        var moving = back.Where(i => i.Message.Kind != MessageKind.Story).ToList();
        if (moving.Count > 0)
        {
            foreach (var item in moving)
            {
                _held.Add((item.Message, item.Email));
            }

            var stayed = await MoveElsewhere(moving.Select(i => i with { Attempt = i.Attempt + 1, RecheckOf = reclaimed.SourceIp, HeldSince = now, RefusedAt = now }).ToList(), now, requeue: false, avoidIp: reclaimed.SourceIp);
            Wait(stayed, now);
        }
    }

    /// <summary>A blocked lane hands its ready readers to clean lanes of their tenants; the rest wait for the probe.</summary>
    private async Task MoveReadyReaders(DateTimeOffset now)
    {
        var ready = TakeReady(now);
        if (ready.Count > 0)
        {
            // The relay lane's readers have no other way out: they wait for it. Whatever fails on the way (a grain that does
            // not answer), the readers not handed on go back to the queue: taken off it, they would be lost to this lane.
            var stayed = ready;
            try
            {
                stayed = Relay ? ready : await MoveElsewhere(ready, now, requeue: false);
                stayed = await HoldOrExpire(stayed, now);
            }
            finally
            {
                Wait(stayed, now);
            }
        }
    }

    /// <summary>Takes every reader due by <paramref name="now"/> off the queue.</summary>
    private List<DeliveryItem> TakeReady(DateTimeOffset now)
    {
        var ready = new List<DeliveryItem>();
        while (_queue.TryPeek(out _, out var due) && due <= now && _queue.TryDequeue(out var item, out _))
        {
            ready.Add(item);
        }

        return ready;
    }

    /// <summary>Readers taken off the queue that have no clean lane yet: back in the queue, looked at again later.</summary>
    private void Wait(List<DeliveryItem> items, DateTimeOffset now)
    {
        foreach (var item in items)
        {
            _queue.Enqueue(item with { NotBefore = now + RerouteEvery }, now + RerouteEvery);
        }
    }

    /// <summary>
    /// Readers of a blocked lane with nowhere else to go: each is held by the block (the reader's history, the message's
    /// counters and the block's list of readers say so), and a reader held longer than <c>Blocks:MaxHold</c> ends as
    /// <c>held-expired</c> for the message. Answers the readers that still wait.
    /// </summary>
    private async Task<List<DeliveryItem>> HoldOrExpire(List<DeliveryItem> items, DateTimeOffset now)
    {
        if (items.Count == 0 || _gate.BlockId is not { } blockId)
        {
            return items;
        }

        var waiting = new List<DeliveryItem>(items.Count);
        var results = new List<(DeliveryItem Item, RecipientResult Result)>();
        var newlyHeld = new List<string>();
        var readers = items.Select(i => GrainFactory.GetGrain<ISubscriberGrain>(GrainKeys.Reader(i.TenantId, i.MagazineId, i.Email))).ToArray();
        var since = await Task.WhenAll(items.Select((item, k) => item.HeldSince is { } known
            ? Task.FromResult<DateTimeOffset?>(known)
            : readers[k].HoldUnsent(blockId, item.Message, Key.SourceIp)));
        var expired = await Task.WhenAll(items.Select((item, k) => since[k] is { } start && now - start >= blocks.MaxHold
            ? readers[k].ExpireHold(item.Message, blockId, start, blocks.MaxHold)
            : Task.FromResult<string?>(null)));
        for (var k = 0; k < items.Count; k++)
        {
            var item = items[k];
            if (expired[k] is { } final)
            {
                _held.Remove((item.Message, item.Email));
                results.Add((item, new RecipientResult(item.Page, item.Index, final, $"block:{blockId}")));
                continue;
            }

            if (item.HeldSince is null && since[k] is not null)
            {
                newlyHeld.Add(GrainKeys.Reader(item.TenantId, item.MagazineId, item.Email));
                results.Add((item, new RecipientResult(item.Page, item.Index, RecipientResults.Held, $"block:{blockId}")));
            }

            waiting.Add(item with { HeldSince = since[k] ?? item.HeldSince });
        }

        if (results.Count > 0 || newlyHeld.Count > 0)
        {
            // Not awaited in this turn: the message's grain (a broadcast or a step scheduler handing this lane more readers)
            // may be waiting on this lane, and this turn waiting on it would hold both until the call timed out.
            _ = ReportHeld(results, newlyHeld, blockId);
        }

        var ended = results.Count(r => r.Result.Result == RecipientResults.HeldExpired);
        if (ended > 0)
        {
            LogHoldExpired(logger, this.GetPrimaryKeyString(), ended, blockId, blocks.MaxHold);
        }

        return waiting;
    }

    /// <summary>
    /// Hands readers to a clean lane of their tenant toward this site. <paramref name="requeue"/>: the readers belong to a
    /// running batch, and one with no clean lane goes back to the queue for later; else they were taken off the queue, and
    /// the ones with no clean lane are answered for the caller to keep. <paramref name="overCap"/>: they are over this lane's
    /// warm-up cap, and go only to a lane with room today (not to the relay).
    /// </summary>
    private async Task<List<DeliveryItem>> MoveElsewhere(List<DeliveryItem> items, DateTimeOffset now, bool requeue, string? avoidIp = null, bool overCap = false)
    {
        avoidIp ??= Key.SourceIp;
        var routing = new LaneRouting(GrainFactory);
        var moves = new Dictionary<string, List<DeliveryItem>>(StringComparer.Ordinal);
        var stayed = new List<DeliveryItem>();
        foreach (var byTenant in items.GroupBy(i => i.TenantId))
        {
            var list = byTenant.ToList();
            var pool = await routing.PoolOf(byTenant.Key);
            var emails = list.Select(i => i.Email).ToList();
            var lanes = overCap
                ? await routing.Choose(Key.SiteId, pool, emails, avoidIp, requireRoom: true)
                : await routing.Place(byTenant.Key, Key.SiteId, pool, emails, avoidIp: avoidIp);
            for (var i = 0; i < list.Count; i++)
            {
                if (lanes[i] == this.GetPrimaryKeyString())
                {
                    // Taken back from another lane's block, and this lane is the clean one for it: it stays here.
                    if (requeue)
                    {
                        Requeue(list[i], now);
                    }
                    else
                    {
                        _held.Add((list[i].Message, list[i].Email));
                        _queue.Enqueue(list[i] with { NotBefore = now }, now);
                    }
                }
                else if (lanes[i] is { } lane)
                {
                    (moves.TryGetValue(lane, out var to) ? to : moves[lane] = []).Add(list[i] with { NotBefore = now });
                    if (!requeue)
                    {
                        _held.Remove((list[i].Message, list[i].Email));
                    }
                }
                else if (requeue)
                {
                    Requeue(list[i], now + RerouteEvery);
                }
                else
                {
                    stayed.Add(list[i]);
                }
            }
        }

        await Task.WhenAll(moves.Select(m => GrainFactory.GetGrain<ILaneGrain>(m.Key).Enqueue(m.Value)));
        return stayed;
    }

    /// <summary>Where the tenant's relay is: its host (an address, or a name looked up now) and port.</summary>
    private static async Task<DeliveryRoute> RelayRoute(RelaySettings relay)
    {
        if (System.Net.IPAddress.TryParse(relay.Host, out var address))
        {
            return new DeliveryRoute(RouteStatus.Ok, LaneKeys.RelaySite, relay.Host, new System.Net.IPEndPoint(address, relay.Port), null);
        }

        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(relay.Host);
            return addresses.Length > 0
                ? new DeliveryRoute(RouteStatus.Ok, LaneKeys.RelaySite, relay.Host, new System.Net.IPEndPoint(addresses[0], relay.Port), null)
                : DeliveryRoute.Fail(RouteStatus.Temporary, relay.Host, $"relay {relay.Host} has no address");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return DeliveryRoute.Fail(RouteStatus.Temporary, relay.Host, $"relay {relay.Host}: {e.Message}");
        }
    }

    private async Task<DeliveryRoute> RelayRoute(string tenantId) =>
        (await GrainFactory.GetGrain<ITenantGrain>(tenantId).GetSendingSettings()).Relay is { } relay
            ? await RelayRoute(relay)
            : DeliveryRoute.Fail(RouteStatus.Temporary, LaneKeys.RelaySite, "the tenant removed its relay");

    /// <summary>
    /// Adds what the receiving servers accepted from this lane's IP to the IP's count of the day: one call per batch,
    /// before the message hears of the results, so a finished broadcast's sends are all counted.
    /// </summary>
    private Task CountSent(IReadOnlyList<SmtpAttempt> attempts)
    {
        var accepted = attempts.Count(a => a.Reply.Action == ReplyAction.Accepted);
        _relaySentToday += accepted;
        CountWarmup(accepted);
        return accepted == 0 || Key.SourceIp == LaneKeys.DefaultSource
            ? Task.CompletedTask
            : Ip.RecordSent(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), accepted, Relay ? null : Key.SiteId);
    }

    private void Remember(ReplyRecord reply)
    {
        _lastReplies.Enqueue(reply);
        while (_lastReplies.Count > LastRepliesKept)
        {
            _lastReplies.Dequeue();
        }
    }

    /// <summary>
    /// Tells the messages' grains and the block what became of readers that wait here. Lost on a failure: a message's grain
    /// hands an open reader again, and the reader's history answers for it.
    /// </summary>
    private async Task ReportHeld(List<(DeliveryItem Item, RecipientResult Result)> results, List<string> newlyHeld, string blockId)
    {
        try
        {
            foreach (var byMessage in results.GroupBy(r => (r.Item.TenantId, r.Item.MagazineId, r.Item.Message)))
            {
                await GrainKeys.Message(GrainFactory, byMessage.Key.TenantId, byMessage.Key.MagazineId, byMessage.Key.Message).RecordResults(byMessage.Select(r => r.Result).ToList());
            }

            if (newlyHeld.Count > 0)
            {
                await Site.NoteHeld(blockId, newlyHeld);
            }
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            LogHeldReportFailed(logger, this.GetPrimaryKeyString(), results.Count, blockId, e);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Lane {Lane}: {Count} results of readers held by {BlockId} were not recorded")]
    private static partial void LogHeldReportFailed(ILogger logger, string lane, int count, string blockId, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Lane {Lane}: {Count} readers held by {BlockId} longer than {MaxHold} end as held-expired")]
    private static partial void LogHoldExpired(ILogger logger, string lane, int count, string blockId, TimeSpan maxHold);

    private static SmtpAttempt Unroutable(string email, DeliveryRoute route) =>
        route.Status == RouteStatus.Permanent
            ? new(email, string.Empty, ReplyRecords.Classified(new ReplyRecord(550, "5.1.2", $"Host unknown: {route.Error}", ReplyStage.Dns, true)), $"DNS: {route.Error}")
            : new(email, string.Empty, ReplyRecords.Classified(new ReplyRecord(0, null, $"DNS temporarily failed: {route.Error}", ReplyStage.Dns, false)), $"DNS: {route.Error}");
}
