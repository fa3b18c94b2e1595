using System.Xml;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Providers;
using Hikyaku.Domain.Secrets;
using Hikyaku.Domain.Tenants;
using Hikyaku.Domain.Validation;
using Hikyaku.Silo.Auth;
using Hikyaku.Smtp.Dkim;

namespace Hikyaku.Silo.Api;

/// <summary>
/// The tenant's DKIM key, and its sending settings: 一斉送信数 / 待機時間 (batchSize / batchInterval), automatic resend of missed
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
            .Produces<SendingSettingsResponse>()
            .WithSummary("Sending settings")
            .WithDescription("一斉送信数 / 待機時間 (batchSize / batchInterval), automatic resend of missed stories, the block cooldown and the relay. The relay password is never returned.");
        group.MapPut("/sending", Put)
            .Accepts<SendingSettingsRequest>("application/json")
            .Produces<SendingSettingsResponse>()
            .ProducesValidationProblem()
            .WithSummary("Change sending settings")
            .WithDescription("batchSize 1 to 1000000; batchInterval an ISO 8601 duration from PT0S to P1D; cooldown from PT1M to P30D; relay null or a smarthost. "
                + "A relay without a password keeps the stored one for the same host and user; an empty one removes it.");

        group.MapGet("/seed-addresses", async (HttpContext http, IGrainFactory grains) =>
                Results.Ok(ToResponse(await grains.GetGrain<ITenantGrain>(http.TenantId()).GetSeedAddresses())))
            .Produces<SeedAddressesResponse>()
            .WithSummary("Seed addresses")
            .WithDescription("The tenant's own mailboxes at providers: test deliveries can go to them, and a lane cooling down after a block probes its provider's seed first.");
        group.MapPut("/seed-addresses", PutSeedAddresses)
            .Accepts<SeedAddressesRequest>("application/json")
            .Produces<SeedAddressesResponse>()
            .ProducesValidationProblem()
            .WithSummary("Set the seed addresses")
            .WithDescription($"Replaces the list: at most {SeedAddresses.MaxItems} `{{provider, address}}`, `provider` a provider id of the catalog "
                + $"({string.Join(", ", ProviderCatalog.Default.Providers.Select(p => $"`{p.Id}`"))}), no (provider, address) twice. An empty list removes them all.");

        group.MapGet("/dkim", async (HttpContext http, IGrainFactory grains) =>
                await grains.GetGrain<ITenantGrain>(http.TenantId()).GetDkim() is { } dkim
                    ? Results.Ok(ToResponse(dkim))
                    : Problems.NotFound("no DKIM key is set: mail goes out unsigned"))
            .Produces<DkimResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("DKIM key")
            .WithDescription("The signing domain and selector and the TXT record to publish; 404 when mail goes out unsigned. The private key is never returned.");
        group.MapPut("/dkim", PutDkim)
            .Accepts<DkimRequest>("application/json")
            .Produces<DkimResponse>()
            .ProducesValidationProblem()
            .WithSummary("Set the DKIM key")
            .WithDescription("Signs mail with `privateKeyPem` (RSA, 1024 to 4096 bits) or, without one, a new 2048-bit key. Publish the TXT record in the answer.");
        group.MapDelete("/dkim", async (HttpContext http, IGrainFactory grains) =>
        {
            var tenant = grains.GetGrain<ITenantGrain>(http.TenantId());
            if (await tenant.GetDkim() is null)
            {
                return Problems.NotFound("no DKIM key is set");
            }

            await tenant.SetDkim(null);
            return Results.NoContent();
        })
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Remove the DKIM key")
            .WithDescription("Mail goes out unsigned from now on.");
    }

    /// <summary>
    /// Sets the DKIM key: the tenant's own PEM (RSA, 1024–4096 bits) or, without one, a new 2048-bit key. The answer
    /// carries the TXT record to publish; the private key is sealed and never returned.
    /// </summary>
    private static async Task<IResult> PutDkim(HttpContext http, IGrainFactory grains, SecretBox secrets)
    {
        var body = await RequestBody.ReadJsonAsync<DkimRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var check = new Validate();
        var domain = string.Empty;
        if (request.Domain is null || !EmailAddress.TryNormalizeDomain(request.Domain.Trim(), out domain, out _))
        {
            check.Add("domain", request.Domain is null
                ? "is required: the signing domain (d=), e.g. mail.example.jp"
                : "is not a domain name: the signing domain (d=), e.g. mail.example.jp");
        }

        var selector = request.Selector?.Trim().ToLowerInvariant() ?? string.Empty;
        if (selector.Length is 0 or > 63 || !selector.Split('.').All(IsDnsLabel))
        {
            check.Add("selector", selector.Length == 0
                ? "is required: DNS labels of letters, digits and hyphens, e.g. hk2026"
                : "must be DNS labels of letters, digits and hyphens (at most 63 characters), e.g. hk2026");
        }

        // Parsed once: for its own problems even when the domain or selector is wrong (all problems in one answer),
        // under the real identity when they are right.
        var identityOk = check.Ok;
        DkimKey? key = null;
        if (request.PrivateKeyPem is { } pem)
        {
            try
            {
                key = DkimKey.FromPem(pem, identityOk ? domain : "invalid.example", identityOk ? selector : "invalid");
                if (key.KeySize is < 1024 or > 4096)
                {
                    check.Add("privateKeyPem", $"is a {key.KeySize}-bit key; RSA keys of 1024 to 4096 bits are accepted (2048 recommended)");
                }
            }
            catch (ArgumentException)
            {
                check.Add("privateKeyPem", "holds no RSA private key (PEM, PKCS#1 or PKCS#8)");
            }
        }

        if (!check.Ok)
        {
            key?.Dispose();
            return check.Problem;
        }

        using var signing = key ?? DkimKey.Generate(domain, selector);
        var dkim = new DkimSettings(domain, selector, secrets.Seal(signing.ExportPem()), signing.DnsRecord, signing.KeySize);
        await grains.GetGrain<ITenantGrain>(http.TenantId()).SetDkim(dkim);
        return Results.Ok(ToResponse(dkim));
    }

    /// <summary>Replaces the seed addresses as a whole; a list with any problem changes nothing.</summary>
    private static async Task<IResult> PutSeedAddresses(HttpContext http, IGrainFactory grains)
    {
        var body = await RequestBody.ReadJsonAsync<SeedAddressesRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var items = body.Value!.Items?.Select(i => i is null ? null : new SeedAddressInput(i.Provider, i.Address)).ToList();
        var (seeds, problems) = SeedAddresses.Check(items, ProviderCatalog.Default);
        if (problems.Count > 0)
        {
            var check = new Validate();
            foreach (var problem in problems)
            {
                check.Add(problem.Field, problem.Message);
            }

            return check.Problem;
        }

        await grains.GetGrain<ITenantGrain>(http.TenantId()).SetSeedAddresses(seeds);
        return Results.Ok(ToResponse(seeds));
    }

    private static SeedAddressesResponse ToResponse(IReadOnlyList<SeedAddress> seeds) =>
        new(seeds.Select(s => new SeedAddressItem(s.Provider, s.Address)).ToList());

    private static bool IsDnsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static DkimResponse ToResponse(DkimSettings d) => new(d.Domain, d.Selector, $"{d.Selector}._domainkey.{d.Domain}", d.DnsRecord, d.KeyBits);

    private static async Task<IResult> Put(HttpContext http, IGrainFactory grains, SecretBox secrets)
    {
        var body = await RequestBody.ReadJsonAsync<SendingSettingsRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var check = new Validate();
        if (request.BatchSize is not { } batchSize)
        {
            check.Add("batchSize", "is required: a whole number from 1 to 1000000");
        }
        else if (batchSize is < 1 or > 1_000_000)
        {
            check.Add("batchSize", $"must be a whole number from 1 to 1000000, not {batchSize}");
        }

        var batchInterval = check.Duration("batchInterval", request.BatchInterval, TimeSpan.Zero, MaxBatchInterval);
        if (request.AutoResendMissed is null)
        {
            check.Add("autoResendMissed", "is required: true or false");
        }

        var cooldown = check.Duration("cooldown", request.Cooldown, MinCooldown, MaxCooldown);
        if (request.SoftStopAfter is < 1 or > 100)
        {
            check.Add("softStopAfter", $"must be a whole number from 1 to 100, not {request.SoftStopAfter}");
        }

        var tenant = grains.GetGrain<ITenantGrain>(http.TenantId());
        var current = await tenant.GetSendingSettings();
        var relay = request.Relay is null ? null : Relay(check, request.Relay, current.Relay, secrets);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var settings = new SendingSettings(request.BatchSize!.Value, batchInterval, request.AutoResendMissed!.Value, cooldown, relay, request.SoftStopAfter ?? SendingSettings.DefaultSoftStopAfter);
        await tenant.SetSendingSettings(settings);
        return Results.Ok(ToResponse(settings));
    }

    private static RelaySettings? Relay(Validate check, RelayRequest relay, RelaySettings? current, SecretBox secrets)
    {
        if (string.IsNullOrWhiteSpace(relay.Host))
        {
            check.Add("relay.host", "is required: a host name or IP address");
        }
        else if (relay.Host.Length > 253 || Uri.CheckHostName(relay.Host.Trim()) == UriHostNameType.Unknown)
        {
            check.Add("relay.host", "is not a host name or IP address");
        }

        if (relay.Port is not { } port)
        {
            check.Add("relay.port", "is required: a port from 1 to 65535");
        }
        else if (port is < 1 or > 65535)
        {
            check.Add("relay.port", $"must be a port from 1 to 65535, not {port}");
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

    private static SendingSettingsResponse ToResponse(SendingSettings s) => new(
        s.BatchSize,
        XmlConvert.ToString(s.BatchInterval),
        s.AutoResendMissed,
        XmlConvert.ToString(s.Cooldown),
        s.Relay is not { } r ? null : new RelayResponse(r.Host, r.Port, r.Username, r.UseTls, r.MaxPerMinute, r.MaxPerDay, PasswordSet: r.PasswordProtected is not null),
        s.SoftStopAfterOrDefault);
}

public sealed record SeedAddressItem(string? Provider, string? Address);

/// <param name="Items">The whole list: it replaces the stored one.</param>
public sealed record SeedAddressesRequest(List<SeedAddressItem?>? Items);

public sealed record SeedAddressesResponse(IReadOnlyList<SeedAddressItem> Items);

/// <param name="PrivateKeyPem">Write-only: an RSA private key in PEM; omitted, Hikyaku generates a 2048-bit key.</param>
public sealed record DkimRequest(string? Domain, string? Selector, string? PrivateKeyPem = null);

/// <param name="DnsName">Where to publish <paramref name="DnsRecord"/> (a TXT record).</param>
public sealed record DkimResponse(string Domain, string Selector, string DnsName, string DnsRecord, int KeyBits);

/// <param name="SoftStopAfter">Messages in a row refused for a disabled, suspended or full mailbox before the reader is error-stopped
/// (ワイメール's error count); 1–100, default 3.</param>
public sealed record SendingSettingsRequest(int? BatchSize, string? BatchInterval, bool? AutoResendMissed, string? Cooldown, RelayRequest? Relay = null, int? SoftStopAfter = null);

/// <param name="Password">Write-only. Omitted keeps the stored password (same host and user); empty removes it.</param>
public sealed record RelayRequest(string? Host, int? Port, string? Username = null, string? Password = null, bool? UseTls = null, int? MaxPerMinute = null, int? MaxPerDay = null);

public sealed record SendingSettingsResponse(int BatchSize, string BatchInterval, bool AutoResendMissed, string Cooldown, RelayResponse? Relay, int SoftStopAfter);

/// <param name="PasswordSet">Whether a password is stored; the password itself is never returned.</param>
public sealed record RelayResponse(string Host, int Port, string? Username, bool UseTls, int MaxPerMinute, int MaxPerDay, bool PasswordSet);
