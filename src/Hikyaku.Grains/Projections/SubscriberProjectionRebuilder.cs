using Hikyaku.Contracts.Events;
using Hikyaku.EventStore;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.Grains.Projections;

/// <summary>
/// Rebuilds hk_subscribers from the reader streams: pages through the log in global order, folds each reader's
/// row as the grain does, writes the rows a page changed, then the checkpoint. A rebuild that stops (a crash,
/// a cancellation, a silo restart) resumes from the checkpoint and converges to the same rows: a page is
/// redone at most, and writing a row twice writes the same row.
/// </summary>
/// <remarks>
/// Beside live writes: grains keep writing rows in the same transaction as their events while a rebuild runs.
/// A rebuilt row never replaces a stored row with a higher stream version (<see cref="ISubscriberIndex.UpsertRebuiltAsync"/>),
/// so the rebuild cannot undo a newer live row, and a live append always overwrites a rebuilt one. A reader
/// is folded from its whole stream the first time a run meets it (and again whenever versions do not follow
/// on, e.g. after a resume, or when positions become visible out of commit order on PostgreSQL); each such
/// reader's row is written then, so a full rebuild also repairs rows that were lost or corrupted. It does not
/// delete rows whose stream does not exist, nor repair a row stamped with a version its stream never reached.
/// </remarks>
public sealed class SubscriberProjectionRebuilder
{
    private readonly IEventStore _store;
    private readonly IEventLog _log;
    private readonly ISubscriberIndex _index;
    private readonly EventSerializer _serializer;
    private readonly SubscriberRebuildOptions _options;
    private readonly Dictionary<string, ReaderRowFold> _readers = new(StringComparer.Ordinal);
    private long? _position;

    /// <param name="store">Where whole reader streams are read.</param>
    /// <param name="log">The global log and the checkpoint (the same database as <paramref name="store"/>).</param>
    /// <param name="index">Where the rows go.</param>
    public SubscriberProjectionRebuilder(IEventStore store, IEventLog log, ISubscriberIndex index, EventSerializer serializer, SubscriberRebuildOptions? options = null)
    {
        _options = options ?? new SubscriberRebuildOptions();
        _options.Validate();
        _store = store;
        _log = log;
        _index = index;
        _serializer = serializer;
    }

    /// <summary>Clears the checkpoint: the next page starts at the beginning of the log.</summary>
    public async Task StartOverAsync(CancellationToken cancellationToken = default)
    {
        await _log.WriteCheckpointAsync(_options.CheckpointName, 0, cancellationToken);
        _position = 0;
        _readers.Clear();
    }

    /// <summary>Rebuilds the rows of one page of the log from the checkpoint and moves the checkpoint past it.</summary>
    public async Task<RebuildPage> RunPageAsync(CancellationToken cancellationToken = default)
    {
        var from = _position ??= await _log.ReadCheckpointAsync(_options.CheckpointName, cancellationToken) ?? 0;
        var page = await _log.ReadAllAsync(from, _options.PageSize, _options.StreamPrefix, cancellationToken);
        if (page.Count == 0)
        {
            return new RebuildPage(from, from, 0, 0, 0);
        }

        if (_readers.Count > _options.MaxCachedReaders)
        {
            _readers.Clear();
        }

        var toWrite = new Dictionary<string, ReaderRowFold>(StringComparer.Ordinal);
        var started = 0;
        foreach (var e in page.Select(p => p.Event))
        {
            started += e.Version == 1 ? 1 : 0;
            if (!_readers.TryGetValue(e.StreamId, out var fold) || fold.Version < e.Version - 1)
            {
                fold = await FoldStreamAsync(e.StreamId, cancellationToken);
                _readers[e.StreamId] = toWrite[e.StreamId] = fold;
            }
            else if (e.Version > fold.Version && fold.Apply(e.Version, (ReaderEvent)_serializer.FromStored(e)))
            {
                toWrite[e.StreamId] = fold;
            }
        }

        var rows = toWrite.Values.Select(f => f.ToRow()).OfType<SubscriberRow>().ToList();
        if (rows.Count > 0)
        {
            await _index.UpsertRebuiltAsync(rows, cancellationToken);
        }

        var position = page[^1].Position;
        await _log.WriteCheckpointAsync(_options.CheckpointName, position, cancellationToken);
        _position = position;
        return new RebuildPage(from, position, page.Count, started, rows.Count);
    }

    /// <summary>Runs pages until the log has no more reader events; the totals of this call.</summary>
    public async Task<RebuildPage> RunToEndAsync(CancellationToken cancellationToken = default)
    {
        var first = await RunPageAsync(cancellationToken);
        var total = first;
        for (var page = first; !page.Finished; total = total.Then(page))
        {
            page = await RunPageAsync(cancellationToken);
        }

        return total;
    }

    private async Task<ReaderRowFold> FoldStreamAsync(string streamId, CancellationToken cancellationToken)
    {
        var fold = new ReaderRowFold(streamId);
        foreach (var stored in await _store.ReadStreamAsync(streamId, 0, cancellationToken))
        {
            fold.Apply(stored.Version, (ReaderEvent)_serializer.FromStored(stored));
        }

        return fold;
    }
}

/// <summary>What one page (or a run of pages) of a rebuild did.</summary>
/// <param name="From">The checkpoint it started after.</param>
/// <param name="Position">The checkpoint it left.</param>
/// <param name="Events">Reader events read; 0 means the rebuild had reached the end of the log.</param>
/// <param name="StreamsStarted">Reader streams whose first event was among them.</param>
/// <param name="RowsWritten">Rows sent to the projection.</param>
public sealed record RebuildPage(long From, long Position, int Events, int StreamsStarted, int RowsWritten)
{
    public bool Finished => Events == 0;

    internal RebuildPage Then(RebuildPage next) =>
        new(From, next.Position, Events + next.Events, StreamsStarted + next.StreamsStarted, RowsWritten + next.RowsWritten);
}
