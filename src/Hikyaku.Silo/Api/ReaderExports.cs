using System.Globalization;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Csv;
using Hikyaku.EventStore;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Silo.Api;

/// <summary>
/// CSV exports of reader lists (<c>?format=csv&amp;encoding=utf-8|cp932</c>): the whole filtered list as one file, in
/// UTF-8 with a BOM (the default) or CP932 for Excel in Japan, offered as a download.
/// </summary>
public static class ReaderExports
{
    private const int PageSize = 1000;

    /// <summary>The CSV encoding when <c>format=csv</c>; null for JSON. Unknown values are problems naming <c>format</c> or <c>encoding</c>.</summary>
    public static CsvEncoding? Format(Validate check, string? format, string? encoding)
    {
        var known = CsvEncoding.TryParse(encoding, out var csvEncoding);
        if (!known)
        {
            check.Add("encoding", $"must be {CsvEncoding.Choices}, not '{encoding}'");
        }

        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "json":
                return null;
            case "csv":
                return known ? csvEncoding : null;
            default:
                check.Add("format", $"must be json (default) or csv, not '{format}'");
                return null;
        }
    }

    /// <summary>
    /// Every matching reader with the name and fields it was imported with, so the file imports again as it is:
    /// <c>email,name,&lt;fields...&gt;,status,statusReason,subscribedAt</c>. Names and fields live in each reader's
    /// history, not in the projection, so each reader is asked (a page of readers at a time) and the rows are kept
    /// until the field columns are known.
    /// </summary>
    public static async Task<IResult> Readers(
        IGrainFactory grains, IEventStore store, string tenantId, string magazineId, IReadOnlyCollection<string>? statuses, string? prefix, CsvEncoding encoding)
    {
        var readers = new List<(SubscriberRow Row, SubscriberView? View)>();
        var fieldNames = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { "email", "name", "status", "statusReason", "subscribedAt" };
        string? after = null;
        while (true)
        {
            var rows = await store.Subscribers.PageAsync(tenantId, magazineId, statuses, after, PageSize, prefix);
            var views = await Task.WhenAll(rows.Select(r => grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader(tenantId, magazineId, r.Email)).Get()));
            for (var i = 0; i < rows.Count; i++)
            {
                readers.Add((rows[i], views[i]));
                fieldNames.AddRange(views[i]?.Fields.Keys.Where(seen.Add) ?? []);
            }

            if (rows.Count < PageSize)
            {
                break;
            }

            after = rows[^1].Email;
        }

        return File($"{magazineId}-subscribers.csv", encoding, export =>
        {
            export.WriteRow(["email", "name", .. fieldNames, "status", "statusReason", "subscribedAt"]);
            foreach (var (row, view) in readers)
            {
                var fields = fieldNames.Select(f => view?.Fields.GetValueOrDefault(f));
                export.WriteRow([row.Email, view?.Name, .. fields, row.Status, row.StatusReason, Time(row.SubscribedAt)], guarded: i => i > 0 && i <= fieldNames.Count + 1);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>The 不達読者一覧 (error-stopped and held readers) as <c>email,status,statusReason,lastReply,since</c>, streamed page by page.</summary>
    public static IResult Undeliverable(IEventStore store, string tenantId, string magazineId, CsvEncoding encoding) =>
        File($"{magazineId}-undeliverable.csv", encoding, async export =>
        {
            export.WriteRow(["email", "status", "statusReason", "lastReply", "since"]);
            string? after = null;
            while (true)
            {
                var rows = await store.Subscribers.PageAsync(tenantId, magazineId, [SubscriberStatus.ErrorStopped, SubscriberStatus.Held], after, PageSize);
                foreach (var r in rows)
                {
                    export.WriteRow([r.Email, r.Status, r.StatusReason, r.LastReply, Time(r.UpdatedAt)], guarded: i => i == 3);
                }

                await export.FlushAsync();
                if (rows.Count < PageSize)
                {
                    return;
                }

                after = rows[^1].Email;
            }
        });

    private static IResult File(string name, CsvEncoding encoding, Func<CsvExport, Task> write) =>
        Results.Stream(
            async stream =>
            {
                await using var export = new CsvExport(stream, encoding);
                await write(export);
            },
            contentType: $"text/csv; charset={encoding.Charset}",
            fileDownloadName: name);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
