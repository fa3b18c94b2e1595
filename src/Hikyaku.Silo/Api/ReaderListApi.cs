using Hikyaku.Contracts.Model;
using Hikyaku.Csv;
using Hikyaku.EventStore;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>
/// The reader list (読者一覧) of a magazine, read from the subscriber projection: pages in email order with an opaque
/// keyset cursor, a status filter and a case-insensitive prefix search on the address; <c>?format=csv</c> exports
/// the whole filtered list as a file.
/// </summary>
public static class ReaderListApi
{
    public static void MapReaderListApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/magazines/{magazineId}/subscribers", List)
            .RequireAuthorization(Policies.Tenant).WithTags("Subscribers")
            .Produces<ReaderListPage>().Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <param name="status">One status or several, comma-separated: active, held, error-stopped, unsubscribed.</param>
    /// <param name="q">The start of the address (case does not matter).</param>
    private static async Task<IResult> List(
        string magazineId, string? limit, string? next, string? status, string? q, string? format, string? encoding,
        HttpContext http, IGrainFactory grains, IEventStore store)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var check = new Validate();
        var size = Paging.Limit(check, limit);
        var after = Paging.After(check, next);
        var statuses = Statuses(check, status);
        var prefix = Prefix(check, q);
        var export = ReaderExports.Format(check, format, encoding);
        if (!check.Ok)
        {
            return check.Problem;
        }

        if (export is { } csv)
        {
            return await ReaderExports.Readers(grains, store, tenantId, magazineId, statuses, prefix, csv);
        }

        var rows = await store.Subscribers.PageAsync(tenantId, magazineId, statuses, after, size + 1, prefix, http.RequestAborted);
        var items = rows.Take(size).Select(r => new ReaderListItem(r.Email, r.Status, r.StatusReason, r.SubscribedAt)).ToList();
        return Results.Ok(new ReaderListPage(items, rows.Count > size ? Paging.Cursor(items[^1].Email) : null));
    }

    /// <summary>The statuses asked for (comma-separated), or null for all; an unknown one is a problem naming <c>status</c>.</summary>
    public static IReadOnlyList<string>? Statuses(Validate check, string? status)
    {
        if (status is null)
        {
            return null;
        }

        var asked = status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = asked.FirstOrDefault(s => !SubscriberStatus.All.Contains(s));
        if (asked.Length == 0 || unknown is not null)
        {
            check.Add("status", $"must be one or more of {string.Join(", ", SubscriberStatus.All)} (comma-separated), not '{Shorten(unknown ?? status)}'");
            return null;
        }

        return asked.Distinct().ToList();
    }

    /// <summary>The address prefix in the stored form (lower case), or null; control characters or an over-long value are a problem naming <c>q</c>.</summary>
    private static string? Prefix(Validate check, string? q)
    {
        var prefix = q?.Trim();
        if (string.IsNullOrEmpty(prefix))
        {
            return null;
        }

        if (prefix.Length > 254 || q!.Any(char.IsControl))
        {
            check.Add("q", "must be the start of an address: at most 254 characters, no control characters");
            return null;
        }

        return prefix.ToLowerInvariant();
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

public sealed record ReaderListItem(string Email, string Status, string? StatusReason, DateTimeOffset SubscribedAt);

public sealed record ReaderListPage(IReadOnlyList<ReaderListItem> Items, string? Next);
