using System.Xml;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Steps;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <param name="After">ISO 8601 duration from the reader's subscription, <c>PT0S</c> to <c>P3650D</c> (seconds allowed: <c>PT30S</c>).</param>
/// <param name="Backfill">Whether readers already past <paramref name="After"/> when the story is added get it too (default false).</param>
public sealed record StoryRequest(string? Id, string? After, string? Subject, string? TextBody, string? HtmlBody = null, bool? Backfill = null);

/// <param name="AddedAt">When the story's id entered the sequence; it stays while the id does.</param>
public sealed record StoryResponse(string Id, string After, string Subject, string? TextBody, string? HtmlBody, bool Backfill, DateTimeOffset AddedAt)
{
    public static StoryResponse From(StoryStep s) => new(s.Id, XmlConvert.ToString(s.After), s.Subject, s.TextBody, s.HtmlBody, s.Backfill, s.AddedAt);
}

/// <summary>A magazine's step sequence (ステップメール). Another tenant's magazine answers 404, exactly as a missing one.</summary>
public static class StepsApi
{
    public static void MapStepsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/magazines/{magazineId}/steps").RequireAuthorization(Policies.Tenant).WithTags("Magazines");

        group.MapPut("/", Set)
            .Accepts<List<StoryRequest>>("application/json")
            .Produces<IReadOnlyList<StoryResponse>>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Replace the step sequence (ステップメール)")
            .WithDescription("Replaces the magazine's stories with `[{id, after, subject, textBody?, htmlBody?, backfill?}]`: `after` is an ISO 8601 duration "
                + "from the reader's subscription (`PT0S` to `P3650D`, seconds allowed), each story needs `textBody` or `htmlBody`, ids are unique, "
                + $"at most {StorySequence.MaxStories:N0} stories. A story keeps `addedAt` while its id stays in the sequence; a story added after a reader "
                + "passed its time is not sent to that reader unless `backfill` is true. Answers the sequence; any invalid story refuses the whole request, naming it (`[3].after`).");

        group.MapGet("/", Get)
            .Produces<IReadOnlyList<StoryResponse>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read the step sequence")
            .WithDescription("The magazine's stories in sending order: by `after`, then by their position in the last PUT.");
    }

    private static async Task<IResult> Set(string magazineId, HttpContext http, IGrainFactory grains)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var body = await RequestBody.ReadJsonAsync<List<StoryRequest?>>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var stories = body.Value!;
        if (stories.Count > StorySequence.MaxStories)
        {
            return Problems.Invalid("body", $"has {stories.Count:N0} stories; a sequence holds at most {StorySequence.MaxStories:N0}");
        }

        var check = new Validate();
        var drafts = new List<StoryDraft>(stories.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stories.Count; i++)
        {
            var at = $"[{i}].";
            if (stories[i] is not { } s)
            {
                check.Add($"[{i}]", "a story object is required");
                continue;
            }

            check.Id(at + "id", s.Id);
            if (s.Id is not null && !ids.Add(s.Id))
            {
                check.Add(at + "id", $"'{s.Id}' is already the id of an earlier story");
            }

            var after = check.Duration(at + "after", s.After, TimeSpan.Zero, StorySequence.MaxAfter);
            check.Content(at, s.Subject, s.TextBody, s.HtmlBody, textRequired: false);
            if (check.Ok)
            {
                drafts.Add(new StoryDraft(s.Id!, after, s.Subject!.Trim(), s.TextBody, s.HtmlBody, s.Backfill ?? false));
            }
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var set = await grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenantId, magazineId)).SetSteps(drafts);
        return set.Error is { } error ? Problems.From(error) : Results.Ok(set.Value!.Select(StoryResponse.From));
    }

    private static async Task<IResult> Get(string magazineId, HttpContext http, IGrainFactory grains) =>
        Domain.Validation.Identifier.IsValid(magazineId, out _)
        && await grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(http.TenantId(), magazineId)).GetSteps() is { } steps
            ? Results.Ok(steps.Select(StoryResponse.From))
            : MagazinesApi.MagazineNotFound(magazineId);
}
