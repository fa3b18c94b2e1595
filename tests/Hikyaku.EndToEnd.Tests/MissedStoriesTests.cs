using System.Net;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using static Hikyaku.EndToEnd.Tests.Infrastructure.LateReportSteps;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>The stories a reader missed, replayed from its history, after a late bounce error-stopped it.</summary>
[Collection(BounceIntakeCollection.Name)]
public sealed class MissedStoriesTests(BounceIntakeFixture fixture)
{
    [Fact]
    public async Task A_reader_error_stopped_by_a_late_bounce_missed_the_due_story_as_error_stopped_with_the_reply()
    {
        var (t, _, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "missed");
        await MailToBounceListener(fixture, returnPath, Dsn(returnPath, email, "5.1.1", $"550 5.1.1 <{email}>: The email account that you tried to reach does not exist", OriginalHeaders(returnPath)));
        Assert.Equal("error-stopped", (await Reader(t, email)).GetProperty("status").GetString());

        // Added after the reader subscribed: the backfilled story is due now (and not sent: the reader is stopped), the
        // other one only tomorrow.
        var steps = """[{"id":"welcome","after":"PT0S","subject":"ようこそ","textBody":"Welcome","backfill":true},{"id":"day1","after":"P1D","subject":"s","textBody":"t"}]""";
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsync("/v1/magazines/news/steps", new StringContent(steps, Encoding.UTF8, "application/json"))).StatusCode);
        var missed = await (await t.GetAsync($"/v1/magazines/news/subscribers/{email}/missed")).Json();
        var item = Assert.Single(missed.GetProperty("items").EnumerateArray());
        Assert.Equal(("welcome", "error-stopped"), (item.GetProperty("storyId").GetString(), item.GetProperty("reason").GetString()));
        Assert.Contains("5.1.1", item.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Contains("does not exist", item.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }
}
