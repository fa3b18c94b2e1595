using System.Text.Json;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Csv;
using Hikyaku.Domain.Imports;
using Hikyaku.Domain.Validation;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;
using Hikyaku.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Hikyaku.Silo.Api;

/// <summary>
/// Reader imports as background jobs. The request is parsed and checked whole (a structural problem refuses
/// it and nothing changes), its rows are stored in chunks on the import's stream, and the answer is 202 at
/// once; the import grain subscribes the readers afterwards. Bodies are UTF-8 (with or without BOM) or Shift_JIS
/// (CP932), declared by the Content-Type's charset or detected; CSV is read by the <see cref="CsvImport"/> adapter.
/// </summary>
public static class ImportsApi
{
    private const int ChunkSize = 1000;

    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/magazines/{magazineId}/subscribers/import", Import)
            .RequireAuthorization(Policies.Tenant).WithTags("Subscribers")
            .Accepts<string>("text/csv", "application/json")
            .Produces<ImportAcceptedResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        app.MapGet("/v1/imports/{importId}", async (string importId, HttpContext http, IGrainFactory grains) =>
                Identifier.IsValid(importId, out _) && await grains.GetGrain<IImportGrain>(GrainKeys.Import(http.TenantId(), importId)).GetProgress() is { } progress
                    ? Results.Ok(progress)
                    : Problems.NotFound($"no import '{importId}'"))
            .RequireAuthorization(Policies.Tenant).WithTags("Subscribers").Produces<ImportProgress>();

        app.MapGet("/v1/imports/{importId}/rejections", Rejections)
            .RequireAuthorization(Policies.Tenant).WithTags("Subscribers").Produces<ImportRejectionsResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Every refused line of an import, by line, <c>limit</c> (1..1000, default 100) at a time; <c>next</c> continues.</summary>
    private static async Task<IResult> Rejections(string importId, string? limit, string? next, HttpContext http, IGrainFactory grains)
    {
        var check = new Validate();
        var size = Paging.Limit(check, limit);
        var cursor = Paging.After(check, next);
        var after = 0;
        if (cursor is not null && (!int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after) || after < 1))
        {
            check.Add("next", "is not a cursor this list returned");
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var page = Identifier.IsValid(importId, out _)
            ? await grains.GetGrain<IImportGrain>(GrainKeys.Import(http.TenantId(), importId)).GetRejections(after, size)
            : null;
        return page is null
            ? Problems.NotFound($"no import '{importId}'")
            : Results.Ok(new ImportRejectionsResponse(page.Items, page.NextAfterLine is { } line ? Paging.Cursor(line.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null));
    }

    private static async Task<IResult> Import(string magazineId, HttpContext http, IGrainFactory grains, IOptions<HikyakuOptions> options)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var parsed = await Parse(http, options.Value.Api.MaxImportBytes);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }

        var result = parsed.Value!;
        var importId = Guid.CreateVersion7().ToString("N");
        var import = grains.GetGrain<IImportGrain>(GrainKeys.Import(tenantId, importId));
        var chunks = result.Rows.Chunk(ChunkSize).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            await import.StoreChunk(i, chunks[i]);
        }

        var rejectionPages = result.Rejected.Chunk(ChunkSize).ToList();
        for (var i = 0; i < rejectionPages.Count; i++)
        {
            await import.StoreRejections(i, rejectionPages[i]);
        }

        await import.Accept(magazineId, result.Total, chunks.Count, result.Duplicates);
        return Results.Accepted($"/v1/imports/{importId}", new ImportAcceptedResponse(importId));
    }

    private static async Task<RequestBody.Read<ImportParseResult>> Parse(HttpContext http, long limit)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("text/csv" or "application/json"))
        {
            return new(null, Problems.UnsupportedMediaType("text/csv (with a header row and an 'email' column) or application/json (an array)"));
        }

        var bytes = await RequestBody.ReadLimitedAsync(http, limit);
        if (bytes is null)
        {
            return new(null, Problems.TooLarge(limit));
        }

        if (!BodyEncoding.TryDecode(bytes, BodyEncoding.CharsetOf(http.Request.ContentType), out var text, out var encodingError))
        {
            return new(null, encodingError!.UnsupportedCharset
                ? Problems.UnsupportedCharset(encodingError.Message)
                : Problems.Invalid("body", encodingError.Message));
        }

        Outcome<ImportParseResult> outcome;
        if (mediaType == "text/csv")
        {
            outcome = CsvImport.Parse(text);
        }
        else
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                outcome = ImportParser.ParseJson(json.RootElement);
            }
            catch (JsonException e)
            {
                return new(null, Problems.Invalid("body", $"is not valid JSON: {e.Message}"));
            }
        }

        return outcome.Error is { } error ? new(null, Problems.From(error)) : new(outcome.Value, null);
    }
}
