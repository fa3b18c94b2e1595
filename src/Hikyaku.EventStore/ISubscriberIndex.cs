namespace Hikyaku.EventStore;

/// <summary>
/// The subscriber projection: one row per (tenant, magazine, email), derived from the subscriber's
/// stream and written in the same transaction as the events that change it. <see cref="StreamVersion"/>
/// is the stream's version when the row last changed (events that leave the row as it was do not rewrite it).
/// <see cref="StepStory"/> and <see cref="StepDueAt"/> are the reader's next step-mail story and when it is due (null when
/// nothing is owed): the step scheduler reads the rows by due time.
/// </summary>
public sealed record SubscriberRow(
    string TenantId,
    string MagazineId,
    string Email,
    string Domain,
    string Status,
    string? StatusReason,
    DateTimeOffset SubscribedAt,
    DateTimeOffset UpdatedAt,
    string? LastReply,
    int StreamVersion,
    string? StepStory = null,
    DateTimeOffset? StepDueAt = null);

public interface ISubscriberIndex
{
    /// <summary>
    /// The exclusive upper end of the range of strings that start with <paramref name="prefix"/>, in ordinal (UTF-8 byte)
    /// order: the prefix followed by the last code point, U+10FFFF, which no address holds.
    /// </summary>
    public static string PrefixEnd(string prefix) => prefix + char.ConvertFromUtf32(0x10FFFF);

    Task<SubscriberRow?> GetAsync(string tenantId, string magazineId, string email, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keyset page ordered by email (ordinal); <paramref name="afterEmail"/> is exclusive. With <paramref name="emailPrefix"/>
    /// only addresses starting with it (ordinally: pass it in the stored, lower-cased form), read as a range of the index.
    /// </summary>
    Task<IReadOnlyList<SubscriberRow>> PageAsync(
        string tenantId,
        string magazineId,
        IReadOnlyCollection<string>? statuses,
        string? afterEmail,
        int limit,
        string? emailPrefix = null,
        CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string tenantId, string magazineId, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<string, int>> CountByDomainAsync(string tenantId, string magazineId, string? status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Readers of a magazine whose next step story is due by <paramref name="dueBy"/> and who are <c>active</c> or <c>held</c>,
    /// ordered by due time then email; keyset after (<paramref name="afterDue"/>, <paramref name="afterEmail"/>), exclusive.
    /// </summary>
    Task<IReadOnlyList<SubscriberRow>> DueStepsAsync(
        string tenantId,
        string magazineId,
        DateTimeOffset dueBy,
        DateTimeOffset? afterDue,
        string? afterEmail,
        int limit,
        CancellationToken cancellationToken = default);

    /// <summary>Replaces a row outside an append (projection rebuild from the log).</summary>
    Task UpsertAsync(SubscriberRow row, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes rows derived from the log (a projection rebuild) in one transaction. Each replaces the stored row
    /// unless that one has a higher <see cref="SubscriberRow.StreamVersion"/>: a live append wrote it from
    /// newer events than the rebuild had read, and must win.
    /// </summary>
    Task UpsertRebuiltAsync(IReadOnlyCollection<SubscriberRow> rows, CancellationToken cancellationToken = default);
}
