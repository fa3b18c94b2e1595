using Hikyaku.Contracts.Events;
using Hikyaku.Domain;
using Hikyaku.EventStore;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;
using Orleans.Providers;

namespace Hikyaku.Grains.Storage;

/// <summary>
/// A <see cref="JournaledGrain{TState,TEvent}"/> whose log lives in Hikyaku's event store (the CustomStorage
/// provider): one stream per grain, snapshots at least <see cref="EventStoreOptions.SnapshotEvery"/> events apart
/// (and further apart as the state grows: see <see cref="OnStateChanged"/>), and projection rows written in the
/// same transaction as the events.
/// </summary>
/// <remarks>
/// The CustomStorage adaptor retries a write that threw by re-reading the stream and re-submitting the same
/// events at the new version — which would write them twice if the first attempt had in fact committed
/// (from source: Orleans.EventSourcing/CustomStorage/LogViewAdaptor.cs, WriteAsync). So an append that throws
/// is retried here, with the same event ids at the same expected version, until the store gives a definite
/// answer; the store recognises events that already landed. The adaptor only ever sees true or false.
/// </remarks>
[LogConsistencyProvider(ProviderName = ProviderName)]
public abstract class EventSourcedGrain<TState, TEvent> : JournaledGrain<TState, TEvent>, ICustomStorageInterface<TState, TEvent>
    where TState : class, IEventSourcedState<TEvent>, new()
    where TEvent : class, IDomainEvent
{
    public const string ProviderName = "CustomStorage";

    /// <summary>How many times the last snapshot's size in events must follow it before the next one (see <see cref="OnStateChanged"/>).</summary>
    public const int SnapshotTailFactor = 4;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private int _snapshotVersion;
    private long _snapshotBytes;
    private long _bytesSinceSnapshot;

    protected EventSourcedGrain(EventSourcingServices services)
    {
        Services = services;
        Logger = services.LoggerFactory.CreateLogger(GetType());
    }

    protected EventSourcingServices Services { get; }

    protected ILogger Logger { get; }

    protected TimeProvider Time => Services.Time;

    /// <summary>The stream of this grain, e.g. <c>reader:{tenant}/{magazine}/{email}</c>.</summary>
    protected abstract string StreamId { get; }

    /// <summary>Stable name of the snapshot shape; null when this grain takes no snapshots.</summary>
    protected virtual string? SnapshotName => null;

    protected EventStamp NewStamp() => EventStamp.Now(Time);

    /// <summary>Raises one event and waits until it is stored.</summary>
    protected async Task RaiseAndConfirm(TEvent @event)
    {
        RaiseEvent(@event);
        await ConfirmEvents();
    }

    /// <summary>Projection rows for the state after <paramref name="updates"/>, written with them.</summary>
    protected virtual IReadOnlyList<SubscriberRow>? ProjectRows(IReadOnlyList<TEvent> updates, int newVersion) => null;

    /// <summary>Called after the state was loaded from the store (activation or re-read).</summary>
    protected virtual void OnStateLoaded(TState state)
    {
    }

    /// <summary>Called after an append succeeded, before the adaptor applies the events to the state.</summary>
    protected virtual void OnAppended(IReadOnlyList<TEvent> updates, int newVersion)
    {
    }

    protected override void TransitionState(TState state, TEvent @event) => state.Apply(@event);

    public async Task<KeyValuePair<int, TState>> ReadStateFromStorage()
    {
        var state = new TState();
        var version = 0;
        var stream = await Services.Store.ReadStateAsync(StreamId, SnapshotName);
        if (stream.Snapshot is { } snapshot)
        {
            state = Services.Serializer.FromSnapshot<TState>(snapshot);
            version = snapshot.Version;
            _snapshotBytes = snapshot.Json.Length;
        }

        _snapshotVersion = version;
        _bytesSinceSnapshot = 0;
        foreach (var stored in stream.Events)
        {
            state.Apply((TEvent)Services.Serializer.FromStored(stored));
            version = stored.Version;
            _bytesSinceSnapshot += stored.Json.Length;
        }

        OnStateLoaded(state);
        return new(version, state);
    }

    public async Task<bool> ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion)
    {
        var events = updates.Select(e => Services.Serializer.ToEventData(e, e.At, e.EventId)).ToList();
        var request = new AppendRequest(StreamId, expectedVersion, events, ProjectRows(updates, expectedVersion + updates.Count));
        for (var attempt = 1; ; attempt++)
        {
            AppendResult result;
            try
            {
                result = await Services.Store.AppendAsync(request);
            }
            catch (Exception e) when (e is not (ArgumentException or InvalidOperationException or NotSupportedException))
            {
                StorageLog.AppendRetry(Logger, StreamId, expectedVersion, attempt, e);
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 50 * Math.Pow(2, Math.Min(attempt, 10))));
                await Task.Delay(delay); // infrastructure back-off: wall time, not domain time
                continue;
            }

            if (result.Status == AppendStatus.AlreadyAppended)
            {
                StorageLog.AlreadyAppended(Logger, StreamId, expectedVersion);
            }

            if (result.Succeeded)
            {
                foreach (var e in events)
                {
                    _bytesSinceSnapshot += e.Json.Length;
                }

                OnAppended(updates, expectedVersion + updates.Count);
            }

            return result.Succeeded;
        }
    }

    /// <summary>
    /// Takes a snapshot once <see cref="EventStoreOptions.SnapshotEvery"/> events and at least
    /// <see cref="SnapshotTailFactor"/> times as many bytes of events as the last snapshot held have been appended since
    /// it. A state that grows with its history (a reader's final results) is then written about once per four times its
    /// own size in events, so snapshots cost each event a quarter of its own bytes however long the history, and an
    /// activation reads at most the snapshot plus four times as much tail.
    /// </summary>
    /// <remarks>With a factor of 1, serialising the snapshots of long-lived readers took a tenth of the delivery path's CPU.</remarks>
    protected override void OnStateChanged()
    {
        if (SnapshotName is not { } name || Version - _snapshotVersion < Services.Options.SnapshotEvery || _bytesSinceSnapshot < SnapshotTailFactor * _snapshotBytes)
        {
            return;
        }

        // Serialised now, inside the grain's turn; written in the background: a lost snapshot only costs replay.
        var snapshot = Services.Serializer.ToSnapshot(StreamId, Version, name, State);
        _snapshotVersion = Version;
        _snapshotBytes = snapshot.Json.Length;
        _bytesSinceSnapshot = 0;
        _ = WriteSnapshot(snapshot);
    }

    private async Task WriteSnapshot(Snapshot snapshot)
    {
        try
        {
            await Services.Store.WriteSnapshotAsync(snapshot);
        }
        catch (Exception e)
        {
            StorageLog.SnapshotFailed(Logger, snapshot.StreamId, snapshot.Version, e);
        }
    }
}
