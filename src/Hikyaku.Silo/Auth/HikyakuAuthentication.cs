using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Hikyaku.Contracts.Grains;
using Hikyaku.Domain.Tenants;
using Hikyaku.Domain.Validation;
using Hikyaku.Silo.Api;
using Hikyaku.Silo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Hikyaku.Silo.Auth;

/// <summary>
/// Bearer keys decide who calls: the admin key (hosting operator) or a tenant's API key, whose tenant part
/// routes the check to that tenant's grain. HTTP Basic with user <c>admin</c> and the admin key is accepted too,
/// so a browser can open the dashboard. Challenges and refusals are problem+json.
/// </summary>
public sealed class HikyakuAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKeyStore adminKey,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Hikyaku";
    public const string AdminRole = "admin";
    public const string TenantClaim = "hikyaku:tenant";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            if (adminKey.Matches(token))
            {
                return Success(new Claim(ClaimTypes.Role, AdminRole));
            }

            if (ApiKey.TryParse(token, out var tenantId, out var hash) && Identifier.IsValid(tenantId, out _)
                && await grains.GetGrain<ITenantGrain>(tenantId).VerifyApiKey(hash))
            {
                return Success(new Claim(TenantClaim, tenantId));
            }

            return AuthenticateResult.Fail("unknown key");
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && TryDecodeBasic(header["Basic ".Length..].Trim(), out var user, out var password)
            && user == "admin" && adminKey.Matches(password))
        {
            return Success(new Claim(ClaimTypes.Role, AdminRole));
        }

        return AuthenticateResult.Fail("unsupported or wrong credentials");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/dashboard")
            ? "Basic realm=\"Hikyaku dashboard\", charset=\"UTF-8\""
            : "Bearer";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", "A valid 'Authorization: Bearer <key>' header is required.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", Context.User.IsInRole(AdminRole)
            ? "This route is a tenant's: call it with the tenant's API key."
            : "This route needs the admin key.");

    private AuthenticateResult Success(Claim claim) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([claim], SchemeName)), SchemeName));

    private static bool TryDecodeBasic(string value, out string user, out string password)
    {
        user = password = string.Empty;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            var colon = decoded.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public static class Policies
{
    public const string Admin = "hikyaku-admin";
    public const string Tenant = "hikyaku-tenant";

    /// <summary>A tenant key (sees its own) or the admin key (sees every tenant's).</summary>
    public const string TenantOrAdmin = "hikyaku-tenant-or-admin";

    /// <summary>The calling key's tenant, or null for the admin key (<see cref="TenantOrAdmin"/> routes).</summary>
    public static string? TenantOrAll(this HttpContext context) =>
        context.User.FindFirst(HikyakuAuthenticationHandler.TenantClaim)?.Value;

    /// <summary>The tenant of the calling key (tenant routes only).</summary>
    public static string TenantId(this HttpContext context) =>
        context.User.FindFirst(HikyakuAuthenticationHandler.TenantClaim)?.Value
        ?? throw new InvalidOperationException("tenant route reached without a tenant principal");
}
