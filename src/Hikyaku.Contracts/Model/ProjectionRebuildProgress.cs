namespace Hikyaku.Contracts.Model;

/// <summary>Where a projection rebuild stands.</summary>
/// <param name="State"><c>idle</c> (never run), <c>running</c> or <c>finished</c>.</param>
/// <param name="Position">The checkpoint: the global log position rebuilt up to.</param>
/// <param name="StreamsSeen">Reader streams whose first event the rebuild has passed.</param>
/// <param name="RowsWritten">Rows written to the projection (a row that changed on several pages counts on each).</param>
[GenerateSerializer, Alias("hikyaku.projection-rebuild-progress")]
public sealed record ProjectionRebuildProgress(
    [property: Id(0)] string State,
    [property: Id(1)] long Position,
    [property: Id(2)] long StreamsSeen,
    [property: Id(3)] long RowsWritten,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt);
