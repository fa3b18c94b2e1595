using System.Net;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>A magazine's step sequence and catch-up setting through the API: what is kept, what is refused, who may see it.</summary>
[Collection(SiloCollection.Name)]
public sealed class StepSequenceTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private static readonly object[] Sequence =
    [
        new { id = "day3", after = "P3D", subject = "三日目", textBody = "Day three" },
        new { id = "welcome", after = "PT0S", subject = "ようこそ", textBody = "Welcome", htmlBody = "<p>Welcome</p>" },
        new { id = "quick", after = "PT30S", subject = "Thirty seconds", htmlBody = "<p>Soon</p>", backfill = true },
    ];

    private async Task<HttpClient> Tenant(string name) => await fixture.Silo.CreateTenant($"{name}-{Guid.NewGuid():N}"[..16], "news");

    private static Task<HttpResponseMessage> Put(HttpClient t, string path, string json) =>
        t.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> PutSteps(HttpClient t, object body) => Put(t, "/v1/magazines/news/steps", JsonSerializer.Serialize(body));

    private static async Task<string> Steps(HttpClient t) =>
        string.Join(", ", (await (await t.GetAsync("/v1/magazines/news/steps")).Json()).EnumerateArray()
            .Select(s => $"{s.GetProperty("id").GetString()}@{s.GetProperty("after").GetString()}{(s.GetProperty("backfill").GetBoolean() ? "+backfill" : "")}"));

    [Fact]
    public async Task A_sequence_round_trips_in_sending_order_and_a_kept_story_keeps_when_it_was_added()
    {
        var t = await Tenant("steps");
        var put = await PutSteps(t, Sequence);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal("welcome@PT0S, quick@PT30S+backfill, day3@P3D", await Steps(t));
        var first = await (await t.GetAsync("/v1/magazines/news/steps")).Json();
        Assert.Equal(("ようこそ", "Welcome", "<p>Welcome</p>"), (first[0].GetProperty("subject").GetString(), first[0].GetProperty("textBody").GetString(), first[0].GetProperty("htmlBody").GetString()));
        var welcomeAdded = first[0].GetProperty("addedAt").GetDateTimeOffset();

        await Task.Delay(50);
        var before = StoreProbe.Count(fixture.DataDir);
        object[] changed = [new { id = "welcome", after = "PT1S", subject = "ようこそ!", textBody = "Welcome" }, new { id = "day7", after = "P7D", subject = "s", textBody = "t" }];
        Assert.Equal(HttpStatusCode.OK, (await PutSteps(t, changed)).StatusCode);
        var second = await (await t.GetAsync("/v1/magazines/news/steps")).Json();
        Assert.Equal("welcome@PT1S, day7@P7D", await Steps(t));
        Assert.Equal(welcomeAdded, second[0].GetProperty("addedAt").GetDateTimeOffset());
        Assert.True(second[1].GetProperty("addedAt").GetDateTimeOffset() > welcomeAdded);

        // The change is one event on the magazine; the same sequence again changes nothing.
        Assert.Equal(before.Events + 1, StoreProbe.Count(fixture.DataDir).Events);
        Assert.Contains("magazine.steps-set", StoreProbe.Newest(fixture.DataDir, 1), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PutSteps(t, changed)).StatusCode);
        Assert.Equal(before.Events + 1, StoreProbe.Count(fixture.DataDir).Events);
    }

    [Fact]
    public async Task Every_bad_sequence_is_400_naming_the_field_and_changes_nothing()
    {
        var t = await Tenant("badsteps");
        Assert.Equal(HttpStatusCode.OK, (await PutSteps(t, Sequence)).StatusCode);
        var before = StoreProbe.Count(fixture.DataDir);
        object Story(string id, string after = "P1D", string? text = "t") => new { id, after, subject = "s", textBody = text };

        await (await PutSteps(t, new[] { Story("a"), Story("b"), Story("c"), Story("d", "P1X") })).AssertFieldProblem("[3].after");
        await (await PutSteps(t, new[] { Story("a", "P3651D") })).AssertFieldProblem("[0].after");
        await (await PutSteps(t, new[] { Story("a", "-PT5S") })).AssertFieldProblem("[0].after");
        await (await PutSteps(t, new[] { Story("a"), Story("b"), Story("a") })).AssertFieldProblem("[2].id");
        await (await PutSteps(t, new[] { Story("a", text: null) })).AssertFieldProblem("[0].textBody");
        await (await PutSteps(t, new[] { Story("has space") })).AssertFieldProblem("[0].id");
        await (await PutSteps(t, new object[] { Story("a"), new { id = "b", after = "P1D", subject = "s\r\nBcc: x@example.jp", textBody = "t" } })).AssertFieldProblem("[1].subject");
        await (await Put(t, "/v1/magazines/news/steps", "[{\"id\":\"a\",\"after\":\"P1D\",\"subject\":\"s\",\"textBody\":\"t\"},{\"id\":")).AssertFieldProblem("[1].id"); // where the JSON breaks off
        await (await Put(t, "/v1/magazines/news/steps", "[{'id':'a'}]")).AssertProblem(HttpStatusCode.BadRequest);
        await (await Put(t, "/v1/magazines/news/steps", "{\"id\":\"a\"}")).AssertFieldProblem("body");
        await (await Put(t, "/v1/magazines/news/steps", "[{\"id\":\"a\",\"after\":5,\"subject\":\"s\",\"textBody\":\"t\"}]")).AssertFieldProblem("[0].after");
        var tooMany = "[" + string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"{{\"id\":\"s{i}\",\"after\":\"PT{i}S\",\"subject\":\"s\",\"textBody\":\"t\"}}")) + "]";
        await (await Put(t, "/v1/magazines/news/steps", tooMany)).AssertFieldProblem("body");

        Assert.Equal(before, StoreProbe.Count(fixture.DataDir));
        Assert.Equal("welcome@PT0S, quick@PT30S+backfill, day3@P3D", await Steps(t));

        // 10,000 is the limit, not past it.
        var tenThousand = "[" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"{{\"id\":\"s{i}\",\"after\":\"PT{i}S\",\"subject\":\"s\",\"textBody\":\"t\"}}")) + "]";
        Assert.Equal(HttpStatusCode.OK, (await Put(t, "/v1/magazines/news/steps", tenThousand)).StatusCode);
        Assert.Equal(10_000, (await (await t.GetAsync("/v1/magazines/news/steps")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task Catch_up_defaults_to_send_all_missed_changes_by_a_partial_update_and_refuses_other_values()
    {
        var t = await Tenant("catchup");
        var magazine = await (await t.GetAsync("/v1/magazines/news")).Json();
        Assert.Equal("send-all-missed", magazine.GetProperty("catchUp").GetString());

        var put = await Put(t, "/v1/magazines/news", "{\"catchUp\":\"shift-schedule\",\"fromName\":\"ニュース編集部\"}");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        magazine = await (await t.GetAsync("/v1/magazines/news")).Json();
        Assert.Equal(("shift-schedule", "ニュース編集部", "news"), (magazine.GetProperty("catchUp").GetString(), magazine.GetProperty("fromName").GetString(), magazine.GetProperty("name").GetString()));

        var before = StoreProbe.Count(fixture.DataDir);
        await (await Put(t, "/v1/magazines/news", "{\"catchUp\":\"send-some\"}")).AssertFieldProblem("catchUp");
        await (await Put(t, "/v1/magazines/news", "{\"catchUp\":\"latest-only\",\"fromAddress\":\"not-an-address\"}")).AssertFieldProblem("fromAddress");
        await (await Put(t, "/v1/magazines/news", "{\"name\":\"\"}")).AssertFieldProblem("name");
        Assert.Equal(before, StoreProbe.Count(fixture.DataDir));
        Assert.Equal("shift-schedule", (await (await t.GetAsync("/v1/magazines/news")).Json()).GetProperty("catchUp").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Put(t, "/v1/magazines/news", "{\"catchUp\":\"latest-only\"}")).StatusCode);
        Assert.Equal("latest-only", (await (await t.GetAsync("/v1/magazines/news")).Json()).GetProperty("catchUp").GetString());
    }

    [Fact]
    public async Task Another_tenants_magazine_steps_settings_and_missed_stories_answer_404_and_change_nothing()
    {
        var a = await Tenant("owner");
        Assert.Equal(HttpStatusCode.OK, (await PutSteps(a, Sequence)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostJson("/v1/magazines/news/subscribers", new { email = "taro@example.jp" })).StatusCode);
        // The welcome story goes at once and writes the reader's events: counted before it is done, they would look like
        // the other tenant's doing. The next story is 30 s away.
        Assert.True(await Poll.UntilAsync(async () => (await (await a.GetAsync("/v1/magazines/news/subscribers/taro@example.jp")).Json())
            .GetProperty("stepPosition").GetProperty("next").GetString() == "quick", TimeSpan.FromSeconds(20)), "the welcome story did not go");
        var b = await Tenant("other");
        var before = StoreProbe.Count(fixture.DataDir);
        var otherMagazine = "/v1/magazines/nosuch";

        await (await b.GetAsync(otherMagazine + "/steps")).AssertProblem(HttpStatusCode.NotFound);
        await (await Put(b, otherMagazine + "/steps", "[]")).AssertProblem(HttpStatusCode.NotFound);
        await (await Put(b, otherMagazine, "{\"catchUp\":\"skip\"}")).AssertProblem(HttpStatusCode.NotFound);
        // Tenant B has its own "news": tenant A's reader is not in it.
        await (await b.GetAsync("/v1/magazines/news/subscribers/taro@example.jp/missed")).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, StoreProbe.Count(fixture.DataDir));
        Assert.Equal("welcome@PT0S, quick@PT30S+backfill, day3@P3D", await Steps(a));
        Assert.Equal("send-all-missed", (await (await a.GetAsync("/v1/magazines/news")).Json()).GetProperty("catchUp").GetString());
    }

    [Fact]
    public async Task A_new_reader_has_missed_only_what_came_due_and_nothing_sent_it()
    {
        var t = await Tenant("missed");
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "hanako@example.jp" })).StatusCode);
        // Added after the reader subscribed: PT0S is already past for them, so only a backfilled story is due.
        Assert.Equal(HttpStatusCode.OK, (await PutSteps(t, new object[]
        {
            new { id = "welcome", after = "PT0S", subject = "s", textBody = "t" },
            new { id = "again", after = "PT0S", subject = "s", textBody = "t", backfill = true },
            new { id = "day1", after = "P1D", subject = "s", textBody = "t" },
        })).StatusCode);

        var missed = await (await t.GetAsync("/v1/magazines/news/subscribers/hanako@example.jp/missed")).Json();

        Assert.Equal("hanako@example.jp", missed.GetProperty("email").GetString());
        Assert.Equal(["again:not-sent"], missed.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("storyId").GetString()}:{i.GetProperty("reason").GetString()}"));
        await (await t.GetAsync("/v1/magazines/news/subscribers/nobody@example.jp/missed")).AssertProblem(HttpStatusCode.NotFound);

        // The scheduler brings the reader to the new sequence within seconds and sends the backfilled story: then nothing is
        // missed, and the next story is tomorrow's.
        Assert.True(await Poll.UntilAsync(async () =>
            (await (await t.GetAsync("/v1/magazines/news/subscribers/hanako@example.jp")).Json()).GetProperty("stepPosition").GetProperty("next").GetString() == "day1",
            TimeSpan.FromSeconds(30)), "the backfilled story was not sent");
        var after = await (await t.GetAsync("/v1/magazines/news/subscribers/hanako@example.jp/missed")).Json();
        Assert.Empty(after.GetProperty("items").EnumerateArray());
    }
}
