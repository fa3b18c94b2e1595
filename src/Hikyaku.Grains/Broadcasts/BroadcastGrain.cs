using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Broadcasts;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Broadcasts;

/// <summary>
/// A broadcast: it fixes its audience in pages on its own stream when sending starts, hands readers to lanes
/// within a window, counts what comes back, and finishes when every reader has a final result. A reminder brings
/// it back after a crash; it then hands out again every reader without a final result (the readers' histories
/// keep a message from counting twice, so only messages in flight at the crash can be sent twice). When another silo
/// leaves the cluster, the readers queued in the lanes it ran are handed out again at once.
/// </summary>
public sealed partial class BroadcastGrain(EventSourcingServices services, Delivery.IDeliveryRouter router, IClusterMembershipService membership)
    : EventSourcedGrain<BroadcastState, BroadcastEvent>(services), IBroadcastGrain, IRemindable
{
    private const int PageSize = 1000;

    /// <summary>How long one tick stores audience pages before it lets requests in.</summary>
    private static readonly TimeSpan AudienceTurn = TimeSpan.FromMilliseconds(500);
    private BackgroundTick? _tick;

    private (string TenantId, string BroadcastId) Key
    {
        get
        {
            var (tenant, id) = GrainKeys.SplitTenant(this.GetPrimaryKeyString());
            return (tenant, id);
        }
    }

    protected override string StreamId => $"broadcast:{this.GetPrimaryKeyString()}";

    public async Task<Outcome<BroadcastView>> Create(string magazineId, string subject, string textBody, string? htmlBody, DateTimeOffset? sendAt)
    {
        if (State.Exists)
        {
            return CommandError.Conflict($"broadcast '{Key.BroadcastId}' already exists");
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new BroadcastCreated(stamp.Id, stamp.At, magazineId, subject, textBody, htmlBody, sendAt));
        await GrainFactory.GetGrain<ITenantGrain>(Key.TenantId).RegisterBroadcast(Key.BroadcastId, magazineId);
        await Ticks.Start();
        return Outcome<BroadcastView>.Ok(State.ToView(Key.BroadcastId));
    }

    public Task<string> GetSilo() => Task.FromResult(RuntimeIdentity);

    public Task<BroadcastView?> Get() => Task.FromResult(State.Exists ? State.ToView(Key.BroadcastId) : null);

    public async Task<MailContentView?> GetContent()
    {
        if (State.Content is not { } c)
        {
            return null;
        }

        var magazine = await GrainFactory.GetGrain<IMagazineGrain>(GrainKeys.Magazine(Key.TenantId, c.MagazineId)).Get();
        return new MailContentView(Key.TenantId, c.MagazineId, MessageKey.Broadcast(Key.BroadcastId), magazine?.FromAddress ?? string.Empty, magazine?.FromName, c.Subject, c.TextBody, c.HtmlBody);
    }

    public async Task RecordResults(IReadOnlyList<RecipientResult> results)
    {
        var now = Time.GetUtcNow();
        foreach (var r in results)
        {
            if (r.Page < _lastActivity.Length)
            {
                _lastActivity[r.Page] = now;
            }
        }

        // A take-back (an error stop a block was found behind) changes a final result: it is let through.
        var changes = results.Where(r => r.Reopens || State.IsOpen(r.Page, r.Index)).ToList();
        if (changes.Count > 0)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new BroadcastResultsRecorded(stamp.Id, stamp.At, changes));
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureTimer();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.Exists && State.FinishedAt is null)
        {
            EnsureTimer();
        }
    }

    // Kept alive: an idle collection mid-send would cost a re-dispatch of every open reader on reactivation.
    private BackgroundTick Ticks => _tick ??= new BackgroundTick(this, "broadcast-tick", Tick, TimeSpan.FromMilliseconds(200));

    private void EnsureTimer() => Ticks.Ensure();

    private async Task Tick(CancellationToken cancellationToken)
    {
        if (State.FinishedAt is not null)
        {
            await Stop();
            return;
        }

        if (!State.Started)
        {
            if (State.Content!.SendAt is { } sendAt && sendAt > Time.GetUtcNow())
            {
                return;
            }

            if (!await FixAudience())
            {
                return; // more pages on the next tick: requests (a status page, a cancel) get their turn in between
            }
        }

        await Dispatch();
        if (State.AllFinal)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new BroadcastFinished(stamp.Id, stamp.At));
            await Stop();
        }
    }

    private Task Stop() => Ticks.Stop();

    /// <summary>
    /// Stores the active readers, page by page, then starts; all before any reader is handed out. A tick stores pages for
    /// at most <see cref="AudienceTurn"/> and says whether the audience is complete: a million readers take a thousand
    /// pages, and the grain answers no request while a tick runs.
    /// </summary>
    private async Task<bool> FixAudience()
    {
        var magazineId = State.Content!.MagazineId;
        var after = State.Pages.Count == 0 ? null : State.Pages[^1].LastOrDefault();
        var turn = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (turn.Elapsed >= AudienceTurn)
            {
                return false;
            }

            var rows = await Services.Store.Subscribers.PageAsync(Key.TenantId, magazineId, [SubscriberStatus.Active], after, PageSize);
            if (rows.Count == 0)
            {
                break;
            }

            var stamp = NewStamp();
            RaiseEvent(new BroadcastAudiencePaged(stamp.Id, stamp.At, State.Pages.Count, rows.Select(r => r.Email).ToList()));
            await ConfirmEvents();
            after = rows[^1].Email;
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(Key.TenantId).Get();
        var started = NewStamp();
        await RaiseAndConfirm(new BroadcastStarted(started.Id, started.At, State.Pages.Sum(p => p.Count), State.Pages.Count, tenant?.Ips ?? []));
        return true;
    }
}
