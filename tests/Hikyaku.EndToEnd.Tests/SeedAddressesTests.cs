using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>GET/PUT /v1/settings/seed-addresses: the list round-trips per tenant; a bad list is 400 naming the field and changes nothing.</summary>
[Collection(SiloCollection.Name)]
public sealed class SeedAddressesTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private static object Items(params object?[] items) => new { items };

    [Fact]
    public async Task Seed_addresses_round_trip_normalised_and_another_tenant_sees_none_of_them()
    {
        using var t = await fixture.Silo.CreateTenant("seed-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(0, (await (await t.GetAsync("/v1/settings/seed-addresses")).Json()).GetProperty("items").GetArrayLength());

        var put = await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(
            new { provider = "Microsoft", address = "Seed.Box@Hotmail.com" }, new { provider = "google", address = "seed@gmail.com" }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var read = await (await t.GetAsync("/v1/settings/seed-addresses")).Json();
        Assert.Equal([("microsoft", "seed.box@hotmail.com"), ("google", "seed@gmail.com")], Pairs(read));
        Assert.Equal(Pairs(await put.Json()), Pairs(read));

        using var other = await fixture.Silo.CreateTenant("seed-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(0, (await (await other.GetAsync("/v1/settings/seed-addresses")).Json()).GetProperty("items").GetArrayLength());

        // An empty list removes them all.
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items())).StatusCode);
        Assert.Equal(0, (await (await t.GetAsync("/v1/settings/seed-addresses")).Json()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_bad_list_is_400_naming_the_field_and_changes_nothing()
    {
        using var t = await fixture.Silo.CreateTenant("seed-" + Guid.NewGuid().ToString("N")[..8]);
        var good = new { provider = "microsoft", address = "seed@hotmail.com" };
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(good))).StatusCode);
        var before = (await (await t.GetAsync("/v1/settings/seed-addresses")).Json()).GetRawText();
        var stored = StoreProbe.Count(fixture.DataDir);

        var unknown = await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(good, new { provider = "gmail", address = "seed@gmail.com" }));
        var reason = (await unknown.AssertProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("items[1].provider")[0].GetString()!;
        Assert.Contains("microsoft", reason, StringComparison.Ordinal);
        Assert.Contains("google", reason, StringComparison.Ordinal);
        await (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(good, good, good, new { provider = "apple" }))).AssertFieldProblem("items[3].address");
        await (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(good, new { provider = "google", address = "a@b@gmail.com" }))).AssertFieldProblem("items[1].address");
        await (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(good, new { provider = "MICROSOFT", address = "SEED@hotmail.com" }))).AssertFieldProblem("items[1].address");
        await (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(good, new { address = "x@icloud.com" }))).AssertFieldProblem("items[1].provider");
        var tooMany = Enumerable.Range(0, 51).Select(i => (object?)new { provider = "google", address = $"s{i}@gmail.com" }).ToArray();
        await (await t.PutAsJsonAsync("/v1/settings/seed-addresses", Items(tooMany))).AssertFieldProblem("items");
        await (await t.PutAsJsonAsync("/v1/settings/seed-addresses", new { })).AssertFieldProblem("items");
        await (await t.PutAsync("/v1/settings/seed-addresses", new StringContent("{\"items\":\"seed@hotmail.com\"}", System.Text.Encoding.UTF8, "application/json"))).AssertFieldProblem("items");

        Assert.Equal(before, (await (await t.GetAsync("/v1/settings/seed-addresses")).Json()).GetRawText());
        Assert.Equal(stored, StoreProbe.Count(fixture.DataDir));
    }

    private static List<(string?, string?)> Pairs(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("provider").GetString(), i.GetProperty("address").GetString())).ToList();
}
