using System.Net;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class ReaderLifecycleTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task A_readers_history_records_each_change_oldest_first_and_the_counts_follow()
    {
        var t = await fixture.Silo.CreateTenant("life", "news");
        var created = await t.PostJson("/v1/magazines/news/subscribers", new { email = "Hanako@Example.JP", name = "Hanako", fields = new { plan = "gold" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("hanako@example.jp", (await created.Json()).GetProperty("email").GetString());

        var reader = await (await t.GetAsync("/v1/magazines/news/subscribers/hanako@example.jp")).Json();
        Assert.Equal(("active", 0), (reader.GetProperty("status").GetString(), reader.GetProperty("stepPosition").GetProperty("delivered").GetInt32()));

        // An active reader cannot be "restored": nothing to restore, nothing recorded.
        await (await t.PostAsync("/v1/magazines/news/subscribers/hanako@example.jp/restore", null)).AssertProblem(HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, (await t.DeleteAsync("/v1/magazines/news/subscribers/hanako@example.jp")).StatusCode);
        await (await t.DeleteAsync("/v1/magazines/news/subscribers/hanako@example.jp")).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "hanako@example.jp" })).StatusCode);

        var history = await (await t.GetAsync("/v1/magazines/news/subscribers/hanako@example.jp/history")).Json();
        Assert.Equal(["reader.subscribed", "reader.unsubscribed", "reader.subscribed"], history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1, 2, 3], history.EnumerateArray().Select(e => e.GetProperty("version").GetInt32()));
        Assert.Equal("gold", history[0].GetProperty("data").GetProperty("fields").GetProperty("plan").GetString());

        var counts = (await (await t.GetAsync("/v1/magazines/news")).Json()).GetProperty("subscriberCounts");
        Assert.Equal((1, 0), (counts.GetProperty("active").GetInt32(), counts.GetProperty("unsubscribed").GetInt32()));
    }

    [Fact]
    public async Task A_large_import_is_answered_at_once_and_finishes_in_the_background()
    {
        var t = await fixture.Silo.CreateTenant("bulk", "news");
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "reader00007@example.jp" })).StatusCode);
        const int rows = 100_000;
        var csv = new System.Text.StringBuilder("email,name,plan\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append("reader").Append(i.ToString("D5")).Append("@example.jp,Reader ").Append(i).Append(",basic\n");
        }

        csv.Append("not-an-address,X,basic\n");
        var accepted = await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var importId = (await accepted.Json()).GetProperty("importId").GetString();

        // The request returned before the readers were subscribed: the job was still running.
        var first = await (await t.GetAsync($"/v1/imports/{importId}")).Json();
        Assert.Equal("running", first.GetProperty("state").GetString());

        var progress = first;
        for (var i = 0; i < 600 && progress.GetProperty("state").GetString() != "finished"; i++)
        {
            await Task.Delay(500);
            progress = await (await t.GetAsync($"/v1/imports/{importId}")).Json();
        }

        Assert.Equal("finished", progress.GetProperty("state").GetString());
        Assert.Equal((rows + 1, rows - 1, 1, 1), (
            progress.GetProperty("total").GetInt32(),
            progress.GetProperty("imported").GetInt32(),
            progress.GetProperty("duplicates").GetInt32(),
            progress.GetProperty("rejected").GetArrayLength()));
        var counts = (await (await t.GetAsync("/v1/magazines/news")).Json()).GetProperty("subscriberCounts");
        Assert.Equal(rows, counts.GetProperty("active").GetInt32());
        var reader = await (await t.GetAsync("/v1/magazines/news/subscribers/reader54321@example.jp")).Json();
        Assert.Equal("Reader 54321", reader.GetProperty("name").GetString());
    }
}
