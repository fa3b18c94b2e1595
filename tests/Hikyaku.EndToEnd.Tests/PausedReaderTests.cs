using System.Net;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Testing;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// 配信一時停止: an operator pauses readers. They get nothing, neither a broadcast nor the step stories that come due, and
/// /missed says <c>paused</c>; resumed, they get what their magazine's catch-up policy says. Judged from what the simulated
/// provider received.
/// </summary>
[Collection(BounceIntakeCollection.Name)]
public sealed class PausedReaderTests(BounceIntakeFixture fixture, ITestOutputHelper output)
{
    private const int Paused = 4;
    private static readonly string[] Policies = ["send-all-missed", "skip"];
    private static readonly (string Id, TimeSpan After)[] Sequence =
        [("s0", TimeSpan.Zero), ("s1", TimeSpan.FromSeconds(7)), ("s2", TimeSpan.FromSeconds(10))];

    private static int _lastOctet;

    [Fact]
    public async Task Paused_readers_get_nothing_miss_the_due_stories_as_paused_and_resumed_get_what_the_catch_up_policy_says()
    {
        var (t, tenantId) = await CatchUpSteps.TenantWithPolicyMagazines(fixture, "pause", $"127.0.32.{Interlocked.Increment(ref _lastOctet)}", Policies, Sequence);

        // In each magazine, readers to pause and one who stays active beside them.
        var readers = Policies.SelectMany(p => Enumerable.Range(0, Paused + 1)
            .Select(i => (Policy: p, Email: $"{p[..4]}{i}.{tenantId}@gmail.com", Pause: i < Paused))).ToList();
        var subscribed = DateTimeOffset.UtcNow;
        await Task.WhenAll(readers.Select(async r => Assert.Equal(HttpStatusCode.Created, (await t.PostJson($"/v1/magazines/{r.Policy}/subscribers", new { email = r.Email })).StatusCode)));

        var journal = fixture.Providers.Journal;
        List<string> Received(string policy, string email) => CatchUpSteps.Received(journal, tenantId, policy, email);

        Assert.True(await Poll.UntilAsync(() => Task.FromResult(readers.All(r => Received(r.Policy, r.Email).Count == 1)), TimeSpan.FromSeconds(20)), "the first story did not reach every reader");
        var toPause = readers.Where(r => r.Pause).ToList();
        await Task.WhenAll(toPause.Select(async r =>
        {
            var paused = await t.PostAsync($"/v1/magazines/{r.Policy}/subscribers/{r.Email}/pause", null);
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.Equal("paused", (await paused.Json()).GetProperty("status").GetString());
        }));
        output.WriteLine($"paused {DateTimeOffset.UtcNow - subscribed:g} after subscribing");
        Assert.True(DateTimeOffset.UtcNow < subscribed + Sequence[1].After, "the readers were paused too late: the scene needs them paused before s1 is due");

        // What a paused reader can and cannot be asked; none of the refusals changes anything.
        var (firstPolicy, first, _) = toPause[0];
        await (await t.PostAsync($"/v1/magazines/{firstPolicy}/subscribers/{first}/pause", null)).AssertProblem(HttpStatusCode.Conflict);
        await (await t.PostAsync($"/v1/magazines/{firstPolicy}/subscribers/{first}/resend-missed", null)).AssertProblem(HttpStatusCode.Conflict);
        var (_, control, _) = readers.First(r => r.Policy == firstPolicy && !r.Pause);
        await (await t.PostAsync($"/v1/magazines/{firstPolicy}/subscribers/{control}/resume", null)).AssertProblem(HttpStatusCode.Conflict);
        await (await t.PostAsync($"/v1/magazines/{firstPolicy}/subscribers/nobody.{tenantId}@gmail.com/pause", null)).AssertProblem(HttpStatusCode.NotFound);
        var magazine = await (await t.GetAsync($"/v1/magazines/{firstPolicy}")).Json();
        Assert.Equal((1, Paused), (magazine.GetProperty("subscriberCounts").GetProperty("active").GetInt32(), magazine.GetProperty("subscriberCounts").GetProperty("paused").GetInt32()));
        var listed = await (await t.GetAsync($"/v1/magazines/{firstPolicy}/subscribers?status=paused")).Json();
        Assert.Equal(toPause.Where(r => r.Policy == firstPolicy).Select(r => r.Email).Order(), listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()).Order());

        // A broadcast while they are paused goes to the active reader only, and counts only it.
        var created = await t.PostJson($"/v1/magazines/{firstPolicy}/broadcasts", new { subject = $"{tenantId} {firstPolicy} news", textBody = "号外" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var broadcast = await t.WaitFinished((await created.Json()).GetProperty("id").GetString()!, TimeSpan.FromSeconds(30));
        Assert.Equal((1, 1), (broadcast.GetProperty("total").GetInt32(), broadcast.GetProperty("delivered").GetInt32()));

        // s1 and s2 come due while they are paused; resumed after that.
        await Poll.UntilTime(subscribed + TimeSpan.FromSeconds(12));
        Assert.All(toPause, r => Assert.Equal("s0", string.Join(' ', Received(r.Policy, r.Email))));
        foreach (var (policy, email, _) in toPause)
        {
            var missed = await (await t.GetAsync($"/v1/magazines/{policy}/subscribers/{email}/missed")).Json();
            Assert.Equal(["s1/paused", "s2/paused"], missed.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("storyId").GetString()}/{i.GetProperty("reason").GetString()}"));
        }

        await Task.WhenAll(toPause.Select(async r =>
        {
            var resumed = await t.PostAsync($"/v1/magazines/{r.Policy}/subscribers/{r.Email}/resume", null);
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            Assert.Equal("active", (await resumed.Json()).GetProperty("status").GetString());
        }));

        var expected = new Dictionary<(string, bool), string>
        {
            [("send-all-missed", true)] = "s0 s1 s2",
            [("skip", true)] = "s0",
            [("send-all-missed", false)] = "s0 news s1 s2",
            [("skip", false)] = "s0 s1 s2",
        };
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(readers.All(r => Received(r.Policy, r.Email).Count >= expected[(r.Policy, r.Pause)].Split(' ').Length)),
            TimeSpan.FromSeconds(20)), "the resumed readers did not get their missed stories");
        await Task.Delay(1500);
        foreach (var (policy, email, pause) in readers)
        {
            Assert.Equal((email, expected[(policy, pause)]), (email, string.Join(' ', Received(policy, email))));
            var missed = await (await t.GetAsync($"/v1/magazines/{policy}/subscribers/{email}/missed")).Json();
            var observed = Sequence.Where(s => !Received(policy, email).Contains(s.Id)).Select(s => $"{s.Id}/paused");
            Assert.Equal(observed, missed.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("storyId").GetString()}/{i.GetProperty("reason").GetString()}"));
            Assert.Equal("active", (await (await t.GetAsync($"/v1/magazines/{policy}/subscribers/{email}")).Json()).GetProperty("status").GetString());
        }

        var history = await (await t.GetAsync($"/v1/magazines/{firstPolicy}/subscribers/{first}/history")).Json();
        Assert.Contains("reader.paused", history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Contains("reader.resumed", history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }
}
