using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;
using Hikyaku.EventStore;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Readers;

/// <summary>A reader's whole history as events; its row in the subscriber projection is written with them.</summary>
public sealed class SubscriberGrain(EventSourcingServices services) : EventSourcedGrain<ReaderState, ReaderEvent>(services), ISubscriberGrain
{
    private ReaderIndexEntry? _indexEntry;

    private (string TenantId, string MagazineId, string Email) Key => GrainKeys.SplitReader(this.GetPrimaryKeyString());

    protected override string StreamId => $"reader:{this.GetPrimaryKeyString()}";

    protected override string SnapshotName => "reader-state.v1";

    public Task<Outcome<SubscriberView>> Subscribe(string? name, IReadOnlyDictionary<string, string>? fields, string source) =>
        Decide(ReaderDecisions.Subscribe(State, Key.Email, name, fields, source, NewStamp()));

    public Task<SubscriberView?> Get() => Task.FromResult(State.Exists ? State.ToView() : null);

    public Task<Outcome<SubscriberView>> Unsubscribe(string reason) => Decide(ReaderDecisions.Unsubscribe(State, reason, NewStamp()));

    public Task<Outcome<SubscriberView>> Restore(string by) => Decide(ReaderDecisions.Restore(State, by, NewStamp()));

    public Task<PrepareResult> PrepareDelivery(string messageKey) => Task.FromResult(ReaderDecisions.Prepare(State, messageKey));

    public async Task<AttemptResult> RecordAttempt(AttemptReport report)
    {
        var verdict = Domain.Delivery.DeliveryDecision.Decide(report.Reply, report.LastAttempt);
        var (events, result) = ReaderDecisions.RecordAttempt(State, report, verdict, NewStamp);
        if (events.Count > 0)
        {
            RaiseEvents(events);
            await ConfirmEvents();
        }

        return result;
    }

    public async Task<IReadOnlyList<HistoryEntry>> History()
    {
        var events = await Services.Store.ReadStreamAsync(StreamId);
        return events.Select(e => new HistoryEntry(e.Version, e.Type, e.At, e.Json)).ToList();
    }

    protected override void OnStateLoaded(ReaderState state) => _indexEntry = ReaderIndexEntry.From(state);

    protected override IReadOnlyList<SubscriberRow>? ProjectRows(IReadOnlyList<ReaderEvent> updates, int newVersion)
    {
        if (ReaderIndexEntry.Fold(_indexEntry, updates) is not { } entry)
        {
            return null;
        }

        var (tenant, magazine, _) = Key;
        return [new SubscriberRow(tenant, magazine, entry.Email, entry.Domain, entry.Status, entry.StatusReason, entry.SubscribedAt, entry.UpdatedAt, entry.LastReply, newVersion)];
    }

    protected override void OnAppended(IReadOnlyList<ReaderEvent> updates, int newVersion) =>
        _indexEntry = ReaderIndexEntry.Fold(_indexEntry, updates);

    private async Task<Outcome<SubscriberView>> Decide(Outcome<ReaderEvent> decision)
    {
        if (decision.Error is { } error)
        {
            return error;
        }

        await RaiseAndConfirm(decision.Value!);
        return Outcome<SubscriberView>.Ok(State.ToView());
    }
}
