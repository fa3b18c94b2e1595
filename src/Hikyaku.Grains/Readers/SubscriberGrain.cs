using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;
using Hikyaku.EventStore;
using Hikyaku.Grains.Steps;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Readers;

/// <summary>A reader's whole history as events; its row in the subscriber projection is written with them.</summary>
// Readers an import or a list page woke go two minutes after their last call, not the default quarter hour: a million
// imported readers must not all stay resident until the first broadcast.
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class SubscriberGrain(EventSourcingServices services, StepSequences sequences) : EventSourcedGrain<ReaderState, ReaderEvent>(services), ISubscriberGrain
{
    /// <summary>A story due sooner than this after an import keeps the reader's activation for it.</summary>
    private static readonly TimeSpan SoonDue = TimeSpan.FromMinutes(1);

    private ReaderIndexEntry? _indexEntry;
    private ReaderIndexEntry? _nextIndexEntry;

    private (string TenantId, string MagazineId, string Email) Key => GrainKeys.SplitReader(this.GetPrimaryKeyString());

    protected override string StreamId => $"reader:{this.GetPrimaryKeyString()}";

    protected override string SnapshotName => "reader-state.v1";

    public async Task<Outcome<SubscriberView>> Subscribe(string? name, IReadOnlyDictionary<string, string>? fields, string source)
    {
        var outcome = await Decide(ReaderDecisions.Subscribe(State, Key.Email, name, fields, source, NewStamp()), Domain.Steps.StepSchedule.Subscribed);
        if (source.StartsWith(Imports.ImportGrain.SourcePrefix, StringComparison.Ordinal) && !(State.StepDueAt is { } due && due - Time.GetUtcNow() < SoonDue))
        {
            // One of thousands an import brings in, and nothing asks for it soon: its next story, if any, is not due within
            // moments (a welcome story is, and keeps it for that), and a broadcast reads it back in one statement. So its
            // activation goes now rather than after the idle collection: a million-reader import does not stay resident.
            DeactivateOnIdle();
        }

        return outcome;
    }

    public Task<SubscriberView?> Get() => Task.FromResult(State.Exists ? State.ToView() : null);

    public Task<Outcome<SubscriberView>> Unsubscribe(string reason) => Decide(ReaderDecisions.Unsubscribe(State, reason, NewStamp()), Domain.Steps.StepSchedule.Unsubscribed);

    public Task<Outcome<SubscriberView>> Restore(string by) => Decide(ReaderDecisions.Restore(State, by, NewStamp()), Domain.Steps.StepSchedule.Returned);

    public Task<Outcome<SubscriberView>> Pause(string by) => Decide(ReaderDecisions.Pause(State, by, NewStamp()));

    public Task<Outcome<SubscriberView>> Resume(string by) => Decide(ReaderDecisions.Resume(State, by, NewStamp()), Domain.Steps.StepSchedule.Returned);

    public Task<PrepareResult> PrepareDelivery(MessageKey message) => Task.FromResult(ReaderDecisions.Prepare(State, message));

    public async Task<AttemptResult> RecordAttempt(AttemptReport report)
    {
        // The tenant's count of soft failures is asked only when one is being recorded.
        var softStopAfter = ReaderDecisions.IsSoftMailboxFailure(report.Verdict.Result, report.Verdict.Classification)
            ? (await GrainFactory.GetGrain<ITenantGrain>(Key.TenantId).GetSendingSettings()).SoftStopAfterOrDefault
            : SendingSettings.DefaultSoftStopAfter;
        var (events, result) = ReaderDecisions.RecordAttempt(State, report, NewStamp, softStopAfter);
        if (events.Count > 0)
        {
            // A story's final result is where the reader's next story is decided, in the same append; so is a held reader's
            // release (delivered from a clean lane), where its missed stories meet the catch-up policy.
            var steps = report.Message.Kind == MessageKind.Story || events.Any(e => e is ReaderRestored);
            await Append(steps ? await WithNextStory(events, Domain.Steps.StepSchedule.StoryFinal) : events);
        }

        // A final result is the last this reader hears of the message for a long while (its next story is days away, the
        // next issue next week): the activation goes now, not after the idle collection age, so a broadcast to a million
        // readers keeps only its readers in flight in memory. One still waiting (deferred, held) stays for its retry.
        if (RecipientResults.IsFinal(result.Result) && State.Status == SubscriberStatus.Active)
        {
            DeactivateOnIdle();
        }

        return result;
    }

    public async Task<bool> ReclaimForBlock(string blockId, MessageKey message, string sourceIp)
    {
        if (ReaderDecisions.ReclaimForBlock(State, blockId, message, sourceIp, NewStamp()) is not { } held)
        {
            return false;
        }

        await Append(message.Kind == MessageKind.Story ? await WithNextStory([held], Domain.Steps.StepSchedule.StoryReopened) : [held]);
        return true;
    }

    public async Task<DateTimeOffset?> HoldUnsent(string blockId, MessageKey message, string sourceIp)
    {
        if (State.FinalResults.ContainsKey(message.ToString()))
        {
            return null;
        }

        if (ReaderDecisions.HoldUnsent(State, blockId, message, sourceIp, NewStamp()) is { } held)
        {
            await RaiseAndConfirm(held);
        }

        return ReaderDecisions.HeldSince(State);
    }

    public async Task<string?> ExpireHold(MessageKey message, string? blockId, DateTimeOffset heldSince, TimeSpan maxHold)
    {
        if (State.FinalResults.TryGetValue(message.ToString(), out var final))
        {
            return final;
        }

        // The reader's own record of its hold wins when it is older (a restart lost the lane's).
        var since = ReaderDecisions.HeldSince(State) is { } own && own < heldSince ? own : heldSince;
        if (ReaderDecisions.ExpireHold(State, message, blockId, since, maxHold, NewStamp()) is not { } expired)
        {
            return null;
        }

        await Append(message.Kind == MessageKind.Story ? await WithNextStory([expired], Domain.Steps.StepSchedule.StoryFinal) : [expired]);
        return RecipientResults.HeldExpired;
    }

    public async Task<IReadOnlyList<HistoryEntry>> History()
    {
        var events = await Services.Store.ReadStreamAsync(StreamId);
        return events.Select(e => new HistoryEntry(e.Version, e.Type, e.At, e.Json)).ToList();
    }

    protected override void OnStateLoaded(ReaderState state) => _indexEntry = ReaderIndexEntry.From(state);

    // The row is written only when it changes: most events (a delivery to an active reader) leave it as it was,
    // and an unchanged row would cost the database an index-maintaining update for nothing.
    protected override IReadOnlyList<SubscriberRow>? ProjectRows(IReadOnlyList<ReaderEvent> updates, int newVersion)
    {
        _nextIndexEntry = ReaderIndexEntry.Fold(_indexEntry, updates);
        if (_nextIndexEntry is not { } entry || entry.SameRowAs(_indexEntry))
        {
            return null;
        }

        var (tenant, magazine, _) = Key;
        return [new SubscriberRow(tenant, magazine, entry.Email, entry.Domain, entry.Status, entry.StatusReason, entry.SubscribedAt, entry.UpdatedAt, entry.ProjectedLastReply, newVersion, entry.StepStory, entry.StepDueAt)];
    }

    protected override void OnAppended(IReadOnlyList<ReaderEvent> updates, int newVersion) => _indexEntry = _nextIndexEntry;

    private async Task<Outcome<SubscriberView>> Decide(Outcome<ReaderEvent> decision, string? stepWhy = null)
    {
        if (decision.Error is { } error)
        {
            return error;
        }

        await Append(stepWhy is null ? [decision.Value!] : await WithNextStory([decision.Value!], stepWhy));
        return Outcome<SubscriberView>.Ok(State.ToView());
    }

    private async Task Append(IReadOnlyList<ReaderEvent> events)
    {
        RaiseEvents(events);
        await ConfirmEvents();
    }

    /// <summary><paramref name="events"/> and, when they change the reader's next step story, the event that says so.</summary>
    /// <remarks>
    /// Events that bring the reader back to active also apply the catch-up policy to the stories it missed (the magazine's
    /// <c>catchUp</c> when the tenant resends automatically; otherwise they are put aside for the operator).
    /// </remarks>
    private async Task<IReadOnlyList<ReaderEvent>> WithNextStory(IReadOnlyList<ReaderEvent> events, string why, IReadOnlyList<StoryStep>? sequence = null)
    {
        var plan = sequence is null ? await sequences.GetPlan(Key.TenantId, Key.MagazineId) : null;
        sequence ??= plan!.Steps;
        if (sequence.Count == 0 && State.StepStory is null)
        {
            return events;
        }

        Domain.Steps.CatchUpRule? rule = null;
        if (events.Any(ReaderDecisions.ReturnsToActive))
        {
            var settings = await GrainFactory.GetGrain<ITenantGrain>(Key.TenantId).GetSendingSettings();
            plan ??= await sequences.GetPlan(Key.TenantId, Key.MagazineId);
            rule = new Domain.Steps.CatchUpRule(plan.CatchUp, settings.AutoResendMissed);
        }

        var more = Domain.Steps.StepSchedule.After(State, events, sequence, why, NewStamp, rule);
        return more.Count == 0 ? events : [.. events, .. more];
    }
}
