namespace Hikyaku.EventStore;

/// <summary>
/// The log across all streams, for readers that catch up from a position (projection rebuilds), and the
/// named checkpoints where such readers record how far they got.
/// </summary>
/// <remarks>
/// A position is the event's global append number (hk_events.seq). Positions grow with appends but may show
/// gaps, and on PostgreSQL they are handed out at insert, not at commit: when several silos commit at once, a
/// reader can see a later position before an earlier one becomes visible. A reader that needs every event of a
/// stream therefore checks stream versions for gaps rather than trusting positions alone. SQLite has one
/// writer, so there positions are also commit order.
/// </remarks>
public interface IEventLog
{
    /// <summary>
    /// Up to <paramref name="limit"/> events with a position greater than <paramref name="afterPosition"/>, in
    /// position order; only streams whose id starts with <paramref name="streamPrefix"/> when one is given
    /// (compared character by character: no wildcards). An empty list means nothing more is stored (yet).
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAllAsync(long afterPosition, int limit, string? streamPrefix = null, CancellationToken cancellationToken = default);

    /// <summary>The position last written under <paramref name="name"/>, or null when none was written.</summary>
    Task<long?> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="position"/> under <paramref name="name"/>, replacing what was there (even a later position: a rebuild starts over at 0).</summary>
    Task WriteCheckpointAsync(string name, long position, CancellationToken cancellationToken = default);
}

/// <summary>A stored event with its position in the global log.</summary>
public sealed record LoggedEvent(long Position, StoredEvent Event);
