using System.Net;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>GET /v1/tenants (admin) and GET /v1/magazines (tenant): paged with limit/next, only what the caller may see.</summary>
[Collection(SiloCollection.Name)]
public sealed class ListRoutesTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task The_operator_pages_through_every_tenant_and_never_sees_an_api_key()
    {
        var prefix = "lt" + Guid.NewGuid().ToString("N")[..6];
        var keys = new List<string>();
        foreach (var n in new[] { "c", "a", "b" })
        {
            using var t = await fixture.Silo.CreateTenant($"{prefix}-{n}");
            keys.Add(t.DefaultRequestHeaders.Authorization!.Parameter!);
        }

        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/v1/tenants/{prefix}-b/ips", Json("{\"ips\":[\"127.0.0.77\"]}"))).StatusCode);

        var (items, pages) = await PageAll(admin, "/v1/tenants", limit: 2);
        var ours = items.Where(i => i.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], ours.Select(i => i.GetProperty("id").GetString()));
        Assert.True(pages >= 2, "a limit of 2 over 3 tenants takes more than one page");
        Assert.Equal($"Tenant {prefix}-a", ours[0].GetProperty("name").GetString());
        Assert.Equal(["127.0.0.77"], ours[1].GetProperty("ips").EnumerateArray().Select(ip => ip.GetString()));
        Assert.True(ours[0].TryGetProperty("createdAt", out _));

        var everything = string.Join("\n", items.Select(i => i.GetRawText()));
        Assert.All(keys, key => Assert.DoesNotContain(key.Split('.')[^1], everything, StringComparison.Ordinal));
        Assert.DoesNotContain("apiKey", everything, StringComparison.OrdinalIgnoreCase);

        using var tenant = fixture.Silo.Client(keys[0]);
        await (await tenant.GetAsync("/v1/tenants")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_tenant_lists_only_its_own_magazines_with_their_counts_on_request()
    {
        var id = "lm" + Guid.NewGuid().ToString("N")[..6];
        using var mine = await fixture.Silo.CreateTenant(id, "weekly", "daily", "monthly");
        using var theirs = await fixture.Silo.CreateTenant(id + "-other", "secret");
        Assert.Equal(HttpStatusCode.Created, (await mine.PostJson("/v1/magazines/daily/subscribers", new { email = "r1@example.jp" })).StatusCode);

        var (items, pages) = await PageAll(mine, "/v1/magazines", limit: 2);
        Assert.Equal(["daily", "monthly", "weekly"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(2, pages);
        Assert.Equal("daily@" + id + ".example", items[0].GetProperty("fromAddress").GetString());

        var counted = await (await mine.GetAsync("/v1/magazines?counts=true")).Json();
        var daily = counted.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "daily");
        Assert.Equal(1, daily.GetProperty("subscriberCounts").GetProperty("active").GetInt32());

        var other = await (await theirs.GetAsync("/v1/magazines")).Json();
        Assert.Equal(["secret"], other.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("/v1/tenants?limit=abc", "limit")]
    [InlineData("/v1/tenants?limit=0", "limit")]
    [InlineData("/v1/tenants?limit=-5", "limit")]
    [InlineData("/v1/tenants?limit=1001", "limit")]
    [InlineData("/v1/tenants?limit=99999999999999999999", "limit")]
    [InlineData("/v1/tenants?next=!not-a-cursor!", "next")]
    public async Task Bad_paging_of_the_tenant_list_is_400_naming_the_parameter(string path, string field)
    {
        using var admin = fixture.Silo.AdminClient();
        await (await admin.GetAsync(path)).AssertFieldProblem(field);
    }

    [Theory]
    [InlineData("/v1/magazines?limit=abc")]
    [InlineData("/v1/magazines?limit=0")]
    [InlineData("/v1/magazines?limit=-1")]
    [InlineData("/v1/magazines?limit=1000000")]
    [InlineData("/v1/broadcasts?limit=abc")]
    [InlineData("/v1/broadcasts?limit=0")]
    [InlineData("/v1/broadcasts?limit=-3")]
    [InlineData("/v1/broadcasts?limit=1001")]
    public async Task A_limit_that_is_not_a_whole_number_in_range_is_400_naming_limit(string path)
    {
        using var t = await fixture.Silo.CreateTenant("ll" + Guid.NewGuid().ToString("N")[..6], "news");
        var problem = await (await t.GetAsync(path)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out var reason), problem.ToString());
        Assert.Contains("whole number from 1 to", reason[0].GetString(), StringComparison.Ordinal);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>Follows <c>next</c> from the first page to the last; returns every item and the number of pages.</summary>
    private static async Task<(List<JsonElement> Items, int Pages)> PageAll(HttpClient client, string path, int limit)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        string? next = null;
        do
        {
            var url = $"{path}?limit={limit}" + (next is null ? "" : "&next=" + Uri.EscapeDataString(next));
            var page = await (await client.GetAsync(url)).Json();
            pages++;
            var batch = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(batch.Count <= limit);
            items.AddRange(batch);
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (next is not null && pages < 1000);

        return (items, pages);
    }
}
