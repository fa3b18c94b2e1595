using Microsoft.OpenApi;

namespace Hikyaku.Silo.Hosting;

/// <summary>
/// Summaries and descriptions for operations whose registration carries none: the subscriber and import routes, whose
/// files change often. A route's own <c>.WithSummary</c>/<c>.WithDescription</c> wins over an entry here.
/// </summary>
internal static class OpenApiSummaries
{
    private static readonly Dictionary<string, (string Summary, string Description)> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST v1/magazines/{magazineId}/subscribers"] = ("Subscribe a reader",
            "Adds `{email, name?, fields?}` as an active reader. Adding an address that is already a reader is 409."),
        ["GET v1/magazines/{magazineId}/subscribers"] = ("List readers",
            "The magazine's readers by email, paged with `limit` and `next`; filter by `status`, prefix search on the address with `q`."),
        ["GET v1/magazines/{magazineId}/subscribers/{email}"] = ("Read a reader",
            "A reader's status (`active`, `held`, `error-stopped`, `unsubscribed`, or `paused` by an operator), the reason, when they subscribed and their step position."),
        ["DELETE v1/magazines/{magazineId}/subscribers/{email}"] = ("Unsubscribe a reader",
            "Ends the reader's subscription; the history keeps everything that happened before."),
        ["POST v1/magazines/{magazineId}/subscribers/{email}/restore"] = ("Restore a reader (配信可能状態へ戻す)",
            "An error-stopped or held reader becomes active again."),
        ["POST v1/magazines/{magazineId}/subscribers/{email}/pause"] = ("Pause a reader (配信一時停止)",
            "An active or held reader gets nothing (no broadcast, no step story) until resumed; step stories that come due meanwhile are missed "
            + "with reason `paused`. The reader's status is `paused`. 409 for a reader that is error-stopped (restore it), unsubscribed or already paused."),
        ["POST v1/magazines/{magazineId}/subscribers/{email}/resume"] = ("Resume a paused reader (配信再開)",
            "The reader becomes active again; the step stories it missed while paused meet the magazine's `catchUp` policy when `autoResendMissed` is on, "
            + "otherwise they wait in `/missed` for the operator's resend. 409 for a reader that is not paused."),
        ["GET v1/magazines/{magazineId}/subscribers/{email}/history"] = ("A reader's history",
            "Every event of the reader's stream, oldest first: `{version, type, at, data}`."),
        ["GET v1/magazines/{magazineId}/subscribers/{email}/log"] = ("A reader's mail log (メールログ)",
            "Every delivery attempt with the source IP, MX host, the reply, its classification and the SMTP transcript."),
        ["GET v1/magazines/{magazineId}/undeliverable"] = ("Undeliverable readers (不達読者一覧)",
            "Readers who are error-stopped or held, with the reason and the last reply, paged with `limit` and `after`."),
        ["POST v1/magazines/{magazineId}/subscribers/import"] = ("Import readers",
            "A CSV (header row with an `email` column; other columns become fields) or a JSON array of readers. "
            + "Answers 202 with the import's id at once; the rows are stored in the background."),
        ["GET v1/imports/{importId}"] = ("An import's progress",
            "The import's state and counts: total, imported, duplicates, and the rows refused with their reasons."),
        ["GET v1/imports/{importId}/rejections"] = ("An import's refused rows",
            "Every row the import refused, with its line and reason, paged."),
    };

    public static void Fill(OpenApiOperation operation, string? method, string? relativePath)
    {
        if (method is null || relativePath is null || !Table.TryGetValue($"{method} {relativePath.TrimStart('/')}", out var entry))
        {
            return;
        }

        operation.Summary ??= entry.Summary;
        operation.Description ??= entry.Description;
    }
}
