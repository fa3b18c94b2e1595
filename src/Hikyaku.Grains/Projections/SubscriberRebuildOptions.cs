namespace Hikyaku.Grains.Projections;

/// <summary>How a rebuild of the subscriber projection reads the log. Validated when a rebuilder is made.</summary>
public sealed class SubscriberRebuildOptions
{
    /// <summary>The reader streams (<c>reader:{tenant}/{magazine}/{email}</c>, see <c>SubscriberGrain.StreamId</c>).</summary>
    public const string ReaderStreams = "reader:";

    /// <summary>Name of the checkpoint in hk_checkpoints. Default <c>subscribers</c>.</summary>
    public string CheckpointName { get; init; } = "subscribers";

    /// <summary>
    /// Streams to rebuild. Default every reader stream; <c>reader:{tenant}/</c> rebuilds one tenant's readers.
    /// Must start with <see cref="ReaderStreams"/>.
    /// </summary>
    public string StreamPrefix { get; init; } = ReaderStreams;

    /// <summary>
    /// Events read per page; the checkpoint is written after each. Default 500: a page's rows go to the
    /// database in one transaction, and a stopped rebuild redoes at most one page.
    /// </summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// Readers whose folded row is kept between pages. Default 100,000 (a few tens of MB). When more are held
    /// the set is dropped, and a reader met again is folded afresh from its stream — slower, never wrong.
    /// </summary>
    public int MaxCachedReaders { get; init; } = 100_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(CheckpointName);
        if (!StreamPrefix.StartsWith(ReaderStreams, StringComparison.Ordinal))
        {
            throw new ArgumentException($"StreamPrefix must start with '{ReaderStreams}'.", nameof(StreamPrefix));
        }

        if (PageSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "PageSize must be between 1 and 10000.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCachedReaders);
    }
}
