using System.Net;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class ReaderListTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task The_reader_list_pages_filters_by_status_and_searches_by_address_prefix()
    {
        var t = await fixture.Silo.CreateTenant("lists", "news");
        var csv = new StringBuilder("email,name\n");
        var emails = Enumerable.Range(0, 250).Select(i => i % 10 == 0 ? $"Taro+{i:D3}@example.jp" : $"reader{i:D3}@example.jp").ToList();
        emails.ForEach(e => csv.Append(e).Append(",R\n"));
        await t.WaitImportFinished((await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json()).GetProperty("importId").GetString()!);
        var stored = emails.Select(e => e.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        foreach (var gone in stored.Where((_, i) => i % 7 == 0))
        {
            Assert.Equal(HttpStatusCode.OK, (await t.DeleteAsync($"/v1/magazines/news/subscribers/{gone}")).StatusCode);
        }

        var everyone = await All(t, "limit=100");
        var unsubscribed = await All(t, "status=unsubscribed&limit=9");
        var taro = await All(t, "q=TARO%2B1&limit=3");
        var activeTaro = await All(t, "q=taro&status=active");

        Assert.Equal(stored, everyone.Select(r => r.Email));
        Assert.All(everyone, r => Assert.True(r.SubscribedAt > DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(stored.Where((_, i) => i % 7 == 0), unsubscribed.Select(r => r.Email));
        Assert.All(unsubscribed, r => Assert.Equal("unsubscribed", r.Status));
        Assert.Equal(stored.Where(e => e.StartsWith("taro+1", StringComparison.Ordinal)), taro.Select(r => r.Email));
        Assert.Equal(stored.Where((e, i) => e.StartsWith("taro", StringComparison.Ordinal) && i % 7 != 0), activeTaro.Select(r => r.Email));
        Assert.Empty(await All(t, "q=zz"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("status=bounced", "status")]
    [InlineData("status=active,gone", "status")]
    [InlineData("next=***", "next")]
    [InlineData("q=%0Dtaro", "q")]
    [InlineData("format=xlsx", "format")]
    [InlineData("format=csv&encoding=latin1", "encoding")]
    public async Task A_bad_list_parameter_is_refused_by_name(string query, string field)
    {
        var t = await fixture.Silo.CreateTenant("bad-list-" + Math.Abs(query.GetHashCode() % 100_000), "news");

        await (await t.GetAsync($"/v1/magazines/news/subscribers?{query}")).AssertFieldProblem(field);
    }

    [Fact]
    public async Task Another_tenants_reader_list_is_not_found_in_any_format()
    {
        var owner = await fixture.Silo.CreateTenant("list-owner", "private");
        Assert.Equal(HttpStatusCode.Created, (await owner.PostJson("/v1/magazines/private/subscribers", new { email = "secret@example.jp" })).StatusCode);
        var other = await fixture.Silo.CreateTenant("list-other");

        await (await other.GetAsync("/v1/magazines/private/subscribers")).AssertProblem(HttpStatusCode.NotFound);
        await (await other.GetAsync("/v1/magazines/private/subscribers?format=csv")).AssertProblem(HttpStatusCode.NotFound);
        await (await other.GetAsync("/v1/magazines/private/undeliverable?format=csv")).AssertProblem(HttpStatusCode.NotFound);
    }

    private sealed record Item(string Email, string Status, DateTimeOffset SubscribedAt);

    private static async Task<List<Item>> All(HttpClient t, string query)
    {
        var all = new List<Item>();
        string? next = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var answer = await t.GetAsync($"/v1/magazines/news/subscribers?{query}{(next is null ? "" : "&next=" + next)}");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var page = await answer.Json();
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(r => new Item(
                r.GetProperty("email").GetString()!, r.GetProperty("status").GetString()!, r.GetProperty("subscribedAt").GetDateTimeOffset())));
            next = page.GetProperty("next").GetString();
            if (next is null)
            {
                return all;
            }
        }

        throw new Xunit.Sdk.XunitException("the list did not end");
    }
}
