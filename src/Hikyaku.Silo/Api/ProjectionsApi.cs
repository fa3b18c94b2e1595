using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Projections;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>
/// The operator's routes for rebuilding the subscriber projection from the event log (after a bug in the
/// projection code, a restore, or a new column). The rebuild runs in the background; grains keep writing their
/// rows meanwhile, and a rebuilt row never replaces one from a newer stream version.
/// </summary>
public static class ProjectionsApi
{
    private const string Location = "/v1/projections/subscribers";

    public static void MapProjectionsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/projections").RequireAuthorization(Policies.Admin).WithTags("Admin");

        // 202 with the job's progress; a POST while a rebuild runs starts nothing new and shows that one.
        admin.MapPost("/subscribers/rebuild", async (IGrainFactory grains) => Results.Accepted(Location, await Rebuild(grains).Start()))
            .Produces<ProjectionRebuildProgress>(StatusCodes.Status202Accepted)
            .WithSummary("Rebuild the subscriber projection")
            .WithDescription("Starts rebuilding the subscriber list (hk_subscribers) from the event log in the background and answers its progress; while one runs, starts nothing new.");

        admin.MapGet("/subscribers", async (IGrainFactory grains) => Results.Ok(await Rebuild(grains).GetProgress()))
            .Produces<ProjectionRebuildProgress>()
            .WithSummary("The subscriber projection rebuild's progress")
            .WithDescription("The state of the last rebuild: running or finished, its position in the log, streams seen and rows written.");
    }

    private static IProjectionRebuildGrain Rebuild(IGrainFactory grains) => grains.GetGrain<IProjectionRebuildGrain>(ProjectionRebuildGrain.Subscribers);
}
