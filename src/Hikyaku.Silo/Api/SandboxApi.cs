using System.Net;
using Hikyaku.Silo.Auth;
using Hikyaku.Silo.Delivery;

namespace Hikyaku.Silo.Api;

/// <summary>Asks a built-in simulated provider to block a sending IP: <c>{provider, ip, mode, seconds}</c>.</summary>
public sealed record SandboxBlockRequest(string? Provider, string? Ip, string? Mode, int? Seconds);

/// <summary>
/// The sandbox's own routes (admin key), mapped only when <c>Delivery:Sandbox</c> is on: a simulated provider blocks one
/// of the sending IPs for a while, so a newcomer watches the block loop (detect, hold, rotate, cool down, probe, release)
/// on one machine. The simulated providers are the answering silo's; the embedded default has one silo.
/// </summary>
public static class SandboxApi
{
    public const int MaxSeconds = 86_400;

    public static void MapSandboxApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SandboxProviders>() is null)
        {
            return;
        }

        var group = app.MapGroup("/v1/sandbox").RequireAuthorization(Policies.Admin).WithTags("Sandbox");
        group.MapPost("/blocks", Block).Accepts<SandboxBlockRequest>("application/json")
            .Produces<SandboxBlock>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithSummary("Make a simulated provider block an IP")
            .WithDescription("Sandbox only. `{provider, ip, mode: explicit | disguised, seconds}`: the built-in simulated provider (`microsoft`, `google`, `yahoo`, `yahoo-jp`, `apple`, `docomo`, `au`, `softbank`) refuses mail from `ip` for `seconds` (1 to 86400), in its own block words (`explicit`) or as \"mailbox unavailable\" for every reader (`disguised`), then accepts it again. A new block of the same provider and IP replaces the old one.");
        group.MapGet("/blocks", (SandboxProviders sandbox) => Results.Ok(new { items = sandbox.Blocks() }))
            .Produces<SandboxBlock[]>()
            .WithSummary("Blocks the simulated providers show now")
            .WithDescription("Sandbox only. The blocks set with POST, until they end.");
    }

    private static async Task<IResult> Block(HttpContext http, SandboxProviders sandbox)
    {
        var body = await RequestBody.ReadJsonAsync<SandboxBlockRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var check = new Validate();
        var names = sandbox.Host.Providers.Select(p => p.Name).ToList();
        if (string.IsNullOrWhiteSpace(request.Provider))
        {
            check.Add("provider", $"is required: one of {string.Join(", ", names)}");
        }
        else if (!names.Contains(request.Provider, StringComparer.OrdinalIgnoreCase))
        {
            check.Add("provider", $"'{request.Provider}' is not a simulated provider here: one of {string.Join(", ", names)}");
        }

        IPAddress? address = null;
        if (string.IsNullOrWhiteSpace(request.Ip))
        {
            check.Add("ip", "is required: the sending IP to block, e.g. 127.0.0.2");
        }
        else if (!IPAddress.TryParse(request.Ip, out address) || !IPAddress.IsLoopback(address))
        {
            check.Add("ip", $"'{request.Ip}' is not a loopback address: the sandbox sends only from 127.0.0.0/8");
        }

        if (request.Mode is not (SandboxBlockModes.Explicit or SandboxBlockModes.Disguised))
        {
            check.Add("mode", request.Mode is null ? "is required: explicit or disguised" : $"'{request.Mode}' is invalid: explicit or disguised");
        }

        if (request.Seconds is not { } seconds)
        {
            check.Add("seconds", $"is required: how long the block lasts, 1 to {MaxSeconds}");
        }
        else if (seconds is < 1 or > MaxSeconds)
        {
            check.Add("seconds", $"{seconds} is out of range: 1 to {MaxSeconds}");
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var block = sandbox.Block(request.Provider!.ToLowerInvariant(), address!.ToString(), request.Mode!, TimeSpan.FromSeconds(request.Seconds!.Value));
        return Results.Created($"/v1/sandbox/blocks", block);
    }
}
