namespace Hikyaku.Contracts.Events;

/// <summary>Events on an import job's stream (<c>import:{tenantId}/{importId}</c>).</summary>
[GenerateSerializer]
public abstract record ImportEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <summary>A chunk of parsed rows, stored before the import is acknowledged so a crash cannot lose it.</summary>
[GenerateSerializer]
public sealed record ImportChunkStored(Guid EventId, DateTimeOffset At, int Index, IReadOnlyList<ImportRow> Rows) : ImportEvent(EventId, At);

/// <summary>
/// The lines refused while parsing (bad address, missing column), stored in pages of at most 1,000 before the import
/// is accepted, so no event of the stream grows with the size of the file.
/// </summary>
[GenerateSerializer]
public sealed record ImportRejectionsStored(Guid EventId, DateTimeOffset At, int Index, IReadOnlyList<ImportRejection> Rejected) : ImportEvent(EventId, At);

/// <param name="Rejected">
/// Lines refused while parsing, as written by imports before <see cref="ImportRejectionsStored"/> existed; empty since.
/// </param>
/// <param name="Duplicates">Rows that repeated the address of an earlier row of the same file (0 in events written before it was counted).</param>
[GenerateSerializer]
public sealed record ImportAccepted(
    Guid EventId,
    DateTimeOffset At,
    string MagazineId,
    int Total,
    int Chunks,
    IReadOnlyList<ImportRejection> Rejected,
    int Duplicates = 0) : ImportEvent(EventId, At);

[GenerateSerializer]
public sealed record ImportChunkProcessed(
    Guid EventId,
    DateTimeOffset At,
    int Index,
    int Imported,
    int Duplicates,
    IReadOnlyList<ImportRejection> Rejected) : ImportEvent(EventId, At);

[GenerateSerializer]
public sealed record ImportFinished(Guid EventId, DateTimeOffset At) : ImportEvent(EventId, At);

/// <summary>One reader to import; <see cref="Line"/> is the line number in the source (1 = header for CSV).</summary>
[GenerateSerializer, Alias("import-row")]
public sealed record ImportRow(
    [property: Id(0)] int Line,
    [property: Id(1)] string Email,
    [property: Id(2)] string? Name,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Fields);

[GenerateSerializer, Alias("import-rejection")]
public sealed record ImportRejection([property: Id(0)] int Line, [property: Id(1)] string Reason);
