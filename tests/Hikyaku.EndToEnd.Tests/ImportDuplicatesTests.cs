using System.Net;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class ImportDuplicatesTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task Copies_of_one_address_count_as_duplicates_and_the_answer_stays_small()
    {
        var t = await fixture.Silo.CreateTenant("copies", "news");
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "already@example.jp" })).StatusCode);
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; i < 80_000; i++)
        {
            csv.Append("same@example.jp,Copy ").Append(i).Append('\n');
        }

        csv.Append("already@example.jp,Again\n");
        for (var i = 0; i < 2_500; i++)
        {
            csv.Append("broken-").Append(i).Append(",X\n");
        }

        var importId = (await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json()).GetProperty("importId").GetString()!;
        await t.WaitImportFinished(importId);
        var answer = await t.GetAsync($"/v1/imports/{importId}");
        var body = await answer.Content.ReadAsStringAsync();
        var progress = JsonDocument.Parse(body).RootElement;

        // One imported, the 79,999 later copies and the address already subscribed are duplicates, the 2,500 broken
        // lines are rejected: the answer lists the first 100 of them and counts all.
        Assert.Equal((82_501, 1, 80_000, 2_500, 100), (
            progress.GetProperty("total").GetInt32(),
            progress.GetProperty("imported").GetInt32(),
            progress.GetProperty("duplicates").GetInt32(),
            progress.GetProperty("rejectedCount").GetInt32(),
            progress.GetProperty("rejected").GetArrayLength()));
        Assert.Equal(80_003, progress.GetProperty("rejected")[0].GetProperty("line").GetInt32());
        Assert.True(body.Length < 20_000, $"the answer is {body.Length} characters");
        var reader = await (await t.GetAsync("/v1/magazines/news/subscribers/same@example.jp")).Json();
        Assert.Equal("Copy 0", reader.GetProperty("name").GetString());

        // The whole list, page by page, each line once and in order.
        var lines = new List<int>();
        string? next = null;
        do
        {
            var page = await (await t.GetAsync($"/v1/imports/{importId}/rejections?limit=700{(next is null ? "" : "&next=" + next)}")).Json();
            lines.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null && lines.Count < 10_000);

        Assert.Equal(Enumerable.Range(80_003, 2_500), lines);

        // The refused lines are stored in pages too: no event of the import's stream carries the whole list.
        Assert.InRange(StoreProbe.MostInOneEvent(fixture.DataDir, "\"reason\""), 1, 1000);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("next=%25%25", "next")]
    public async Task A_bad_page_parameter_is_refused_by_name(string query, string field)
    {
        var t = await fixture.Silo.CreateTenant("pages-" + field + query.Length, "news");
        var importId = (await (await t.PostRaw("/v1/magazines/news/subscribers/import", "email\nbad\n", "text/csv")).Json()).GetProperty("importId").GetString()!;
        await t.WaitImportFinished(importId);

        await (await t.GetAsync($"/v1/imports/{importId}/rejections?{query}")).AssertFieldProblem(field);
    }
}
