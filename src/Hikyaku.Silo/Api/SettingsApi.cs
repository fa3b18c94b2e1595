using System.Xml;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Secrets;
using Hikyaku.Domain.Validation;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>
/// The tenant's sending settings: 一斉送信数 / 待機時間 (batchSize / batchInterval), automatic resend of missed
/// stories, the block cooldown, and the relay used when every own IP is blocked. The relay password is
/// write-only: sealed before it is stored, never returned; a PUT without it keeps the stored one.
/// </summary>
public static class SettingsApi
{
    private static readonly TimeSpan MaxBatchInterval = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinCooldown = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxCooldown = TimeSpan.FromDays(30);

    public static void MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/settings").RequireAuthorization(Policies.Tenant).WithTags("Settings");
        group.MapGet("/sending", async (HttpContext http, IGrainFactory grains) =>
                Results.Ok(ToResponse(await grains.GetGrain<ITenantGrain>(http.TenantId()).GetSendingSettings())))
            .Produces<SendingSettingsResponse>();
        group.MapPut("/sending", Put)
            .Accepts<SendingSettingsRequest>("application/json")
            .Produces<SendingSettingsResponse>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> Put(HttpContext http, IGrainFactory grains, SecretBox secrets)
    {
        var body = await RequestBody.ReadJsonAsync<SendingSettingsRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var check = new Validate();
        if (request.BatchSize is not { } batchSize || batchSize is < 1 or > 1_000_000)
        {
            check.Add("batchSize", "is required: a whole number from 1 to 1000000");
        }

        var batchInterval = Duration(check, "batchInterval", request.BatchInterval, TimeSpan.Zero, MaxBatchInterval);
        if (request.AutoResendMissed is null)
        {
            check.Add("autoResendMissed", "is required: true or false");
        }

        var cooldown = Duration(check, "cooldown", request.Cooldown, MinCooldown, MaxCooldown);
        var tenant = grains.GetGrain<ITenantGrain>(http.TenantId());
        var current = await tenant.GetSendingSettings();
        var relay = request.Relay is null ? null : Relay(check, request.Relay, current.Relay, secrets);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var settings = new SendingSettings(request.BatchSize!.Value, batchInterval, request.AutoResendMissed!.Value, cooldown, relay);
        await tenant.SetSendingSettings(settings);
        return Results.Ok(ToResponse(settings));
    }

    private static RelaySettings? Relay(Validate check, RelayRequest relay, RelaySettings? current, SecretBox secrets)
    {
        if (string.IsNullOrWhiteSpace(relay.Host) || relay.Host.Length > 253 || Uri.CheckHostName(relay.Host.Trim()) == UriHostNameType.Unknown)
        {
            check.Add("relay.host", "is required: a host name or IP address");
        }

        if (relay.Port is not { } port || port is < 1 or > 65535)
        {
            check.Add("relay.port", "is required: a port from 1 to 65535");
        }

        check.Header("relay.username", relay.Username, 256, required: false);
        if (relay.Password is { } password && (password.Length > 1024 || password.AsSpan().IndexOfAny('\r', '\n') >= 0))
        {
            check.Add("relay.password", "must be at most 1024 characters without line breaks");
        }

        if (relay.MaxPerMinute is < 0)
        {
            check.Add("relay.maxPerMinute", "must be 0 (no limit) or more");
        }

        if (relay.MaxPerDay is < 0)
        {
            check.Add("relay.maxPerDay", "must be 0 (no limit) or more");
        }

        if (!check.Ok)
        {
            return null;
        }

        var host = relay.Host!.Trim();
        var username = string.IsNullOrEmpty(relay.Username) ? null : relay.Username;

        // Omitted: keep the stored password, as long as it is for the same account; "" removes it.
        var sealedPassword = relay.Password switch
        {
            null when current is not null && string.Equals(current.Host, host, StringComparison.OrdinalIgnoreCase) && current.Username == username => current.PasswordProtected,
            null or "" => null,
            { } secret => secrets.Seal(secret),
        };
        return new RelaySettings(host, relay.Port!.Value, username, sealedPassword, relay.UseTls ?? true, relay.MaxPerMinute ?? 0, relay.MaxPerDay ?? 0);
    }

    private static TimeSpan Duration(Validate check, string field, string? value, TimeSpan min, TimeSpan max)
    {
        var limits = $"an ISO 8601 duration from {XmlConvert.ToString(min)} to {XmlConvert.ToString(max)}";
        if (value is null)
        {
            check.Add(field, $"is required: {limits}");
            return default;
        }

        try
        {
            var duration = XmlConvert.ToTimeSpan(value.Trim());
            if (duration >= min && duration <= max)
            {
                return duration;
            }
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }

        check.Add(field, $"must be {limits}, e.g. PT10S");
        return default;
    }

    private static SendingSettingsResponse ToResponse(SendingSettings s) => new(
        s.BatchSize,
        XmlConvert.ToString(s.BatchInterval),
        s.AutoResendMissed,
        XmlConvert.ToString(s.Cooldown),
        s.Relay is not { } r ? null : new RelayResponse(r.Host, r.Port, r.Username, r.UseTls, r.MaxPerMinute, r.MaxPerDay, PasswordSet: r.PasswordProtected is not null));
}

public sealed record SendingSettingsRequest(int? BatchSize, string? BatchInterval, bool? AutoResendMissed, string? Cooldown, RelayRequest? Relay);

/// <param name="Password">Write-only. Omitted keeps the stored password (same host and user); empty removes it.</param>
public sealed record RelayRequest(string? Host, int? Port, string? Username, string? Password, bool? UseTls, int? MaxPerMinute, int? MaxPerDay);

public sealed record SendingSettingsResponse(int BatchSize, string BatchInterval, bool AutoResendMissed, string Cooldown, RelayResponse? Relay);

/// <param name="PasswordSet">Whether a password is stored; the password itself is never returned.</param>
public sealed record RelayResponse(string Host, int Port, string? Username, bool UseTls, int MaxPerMinute, int MaxPerDay, bool PasswordSet);
