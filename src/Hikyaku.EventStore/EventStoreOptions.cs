namespace Hikyaku.EventStore;

/// <summary>Tuning of an event store backend. Validated when a store is constructed.</summary>
public sealed class EventStoreOptions
{
    /// <summary>
    /// Most appends written in one transaction. Default 1000: PostgreSQL's fsync-bound commit costs the
    /// same for 1 or 1000 appends, and larger batches only add latency. 1 disables group commit (one
    /// transaction per append), which is what the benchmark compares against.
    /// </summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>
    /// How long the writer keeps collecting after the first append of a batch arrives. Default 1 ms:
    /// enough for concurrent grains to join, small next to a commit. Zero takes only what is already
    /// queued (appends still pile up naturally while the previous batch commits).
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Events between snapshots of a stream, for the storage bridge. Default 200.</summary>
    public int SnapshotEvery { get; set; } = 200;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxBatchSize is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be between 1 and 100000.");
        }

        if (MaxBatchDelay < TimeSpan.Zero || MaxBatchDelay > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchDelay), MaxBatchDelay, "MaxBatchDelay must be between 0 and 1 second.");
        }

        if (SnapshotEvery < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SnapshotEvery), SnapshotEvery, "SnapshotEvery must be at least 1.");
        }
    }
}
