namespace Hikyaku.EventStore;

/// <summary>
/// Times are stored in UTC with microsecond precision (PostgreSQL's timestamptz); both backends
/// normalise the same way so a value reads back equal whichever backend stored it.
/// </summary>
internal static class StoredTime
{
    public static DateTimeOffset Normalize(DateTimeOffset at)
    {
        var utcTicks = at.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % 10), TimeSpan.Zero);
    }

    /// <summary>Sortable ISO-8601 text for SQLite, which has no time type.</summary>
    public static string ToText(DateTimeOffset at) => Normalize(at).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset FromText(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
}
