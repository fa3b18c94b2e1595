using System.Net;
using System.Net.Http.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>GET/PUT /v1/settings/sending: values round-trip, the relay password is write-only and never stored in clear.</summary>
[Collection(SiloCollection.Name)]
public sealed class SendingSettingsTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private static object Settings(object? relay) => new { batchSize = 200, batchInterval = "PT30S", autoResendMissed = false, cooldown = "PT12H", relay };

    [Fact]
    public async Task Settings_round_trip_and_the_relay_password_is_write_only_and_sealed_in_the_store()
    {
        var tenantId = "set-" + Guid.NewGuid().ToString("N")[..8];
        using var t = await fixture.Silo.CreateTenant(tenantId);

        var defaults = await (await t.GetAsync("/v1/settings/sending")).Json();
        Assert.Equal("P1D", defaults.GetProperty("cooldown").GetString());

        const string password = "Relay-Secret-7f3a91";
        var put = await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "relay.example.net", port = 587, username = "hk", password, maxPerMinute = 600 }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var read = await (await t.GetAsync("/v1/settings/sending")).Json();
        Assert.Equal((200, "PT30S", false, "PT12H"), (read.GetProperty("batchSize").GetInt32(), read.GetProperty("batchInterval").GetString(),
            read.GetProperty("autoResendMissed").GetBoolean(), read.GetProperty("cooldown").GetString()));
        var relay = read.GetProperty("relay");
        Assert.Equal(("relay.example.net", 587, "hk", 600, true), (relay.GetProperty("host").GetString(), relay.GetProperty("port").GetInt32(),
            relay.GetProperty("username").GetString(), relay.GetProperty("maxPerMinute").GetInt32(), relay.GetProperty("passwordSet").GetBoolean()));
        Assert.False(relay.TryGetProperty("password", out _));
        Assert.DoesNotContain(password, read.GetRawText());
        Assert.False(StoreProbe.Holds(fixture.DataDir, password), "the relay password is stored in clear");

        // A PUT without the password keeps it; an empty one removes it.
        await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "relay.example.net", port = 587, username = "hk" }));
        Assert.True((await (await t.GetAsync("/v1/settings/sending")).Json()).GetProperty("relay").GetProperty("passwordSet").GetBoolean());
        await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "relay.example.net", port = 587, username = "hk", password = "" }));
        Assert.False((await (await t.GetAsync("/v1/settings/sending")).Json()).GetProperty("relay").GetProperty("passwordSet").GetBoolean());

        // Another tenant sees its own defaults, not these.
        using var other = await fixture.Silo.CreateTenant("set-" + Guid.NewGuid().ToString("N")[..8]);
        var theirs = await (await other.GetAsync("/v1/settings/sending")).Json();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, theirs.GetProperty("relay").ValueKind);
        Assert.Equal("PT0S", theirs.GetProperty("batchInterval").GetString());
    }

    [Fact]
    public async Task Bad_settings_are_400_naming_the_field_and_change_nothing()
    {
        using var t = await fixture.Silo.CreateTenant("set-" + Guid.NewGuid().ToString("N")[..8]);
        var before = (await (await t.GetAsync("/v1/settings/sending")).Json()).GetRawText();
        var stored = StoreProbe.Count(fixture.DataDir);

        await (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 0, batchInterval = "PT1S", autoResendMissed = true, cooldown = "P1D" })).AssertFieldProblem("batchSize");
        await (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "10 seconds", autoResendMissed = true, cooldown = "P1D" })).AssertFieldProblem("batchInterval");
        await (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "PT1S", cooldown = "P1D" })).AssertFieldProblem("autoResendMissed");
        await (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "PT1S", autoResendMissed = true, cooldown = "-PT1H" })).AssertFieldProblem("cooldown");
        await (await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "relay.example.net", port = 70000 }))).AssertFieldProblem("relay.port");
        await (await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "relay.example.net", port = 25, username = "hk\r\nRCPT TO:<x@example.net>" }))).AssertFieldProblem("relay.username");
        await (await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "bad host name", port = 25 }))).AssertFieldProblem("relay.host");
        await (await t.PutAsync("/v1/settings/sending", new StringContent("{\"batchSize\":\"many\"}", System.Text.Encoding.UTF8, "application/json"))).AssertFieldProblem("batchSize");
        await (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "PT1S", autoResendMissed = true, cooldown = "P1D", softStopAfter = 0 })).AssertFieldProblem("softStopAfter");
        Assert.Equal(3, (await (await t.GetAsync("/v1/settings/sending")).Json()).GetProperty("softStopAfter").GetInt32());

        Assert.Equal(before, (await (await t.GetAsync("/v1/settings/sending")).Json()).GetRawText());
        Assert.Equal(stored, StoreProbe.Count(fixture.DataDir));
    }

    [Fact]
    public async Task A_value_given_but_invalid_is_told_what_is_wrong_and_the_durations_a_message_suggests_are_accepted()
    {
        using var t = await fixture.Silo.CreateTenant("set-" + Guid.NewGuid().ToString("N")[..8]);

        var batch = await Reason(await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = -1, batchInterval = "PT1S", autoResendMissed = true, cooldown = "P1D" }), "batchSize");
        Assert.DoesNotContain("required", batch, StringComparison.Ordinal);
        Assert.Contains("from 1 to 1000000", batch, StringComparison.Ordinal);
        var missing = await Reason(await t.PutAsJsonAsync("/v1/settings/sending", new { batchInterval = "PT1S", autoResendMissed = true, cooldown = "P1D" }), "batchSize");
        Assert.StartsWith("is required", missing, StringComparison.Ordinal);

        var port = await Reason(await t.PutAsJsonAsync("/v1/settings/sending", Settings(new { host = "relay.example.net", port = 70000 })), "relay.port");
        Assert.DoesNotContain("required", port, StringComparison.Ordinal);

        var notDuration = await Reason(await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "PT1S", autoResendMissed = true, cooldown = "ten minutes" }), "cooldown");
        Assert.Contains("is not an ISO 8601 duration", notDuration, StringComparison.Ordinal);
        var outOfRange = await Reason(await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "PT1S", autoResendMissed = true, cooldown = "PT10S" }), "cooldown");
        Assert.DoesNotContain("required", outOfRange, StringComparison.Ordinal);

        // Every duration a message names (its range, its example) is one the field takes.
        var suggested = new[] { notDuration, outOfRange }
            .SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m, @"\bP(?=[\dT])[\dYMWDTHS.]+").Select(x => x.Value))
            .Where(d => d != "PT10S").Distinct().ToList();
        Assert.NotEmpty(suggested);
        Assert.DoesNotContain("e.g. PT10S", notDuration + outOfRange, StringComparison.Ordinal);
        foreach (var duration in suggested)
        {
            var put = await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 10, batchInterval = "PT1S", autoResendMissed = true, cooldown = duration });
            Assert.True(put.StatusCode == HttpStatusCode.OK, $"the message suggested cooldown {duration}, which answers {(int)put.StatusCode}");
        }
    }

    private static async Task<string> Reason(HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}
