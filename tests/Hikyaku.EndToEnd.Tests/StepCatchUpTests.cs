using System.Net;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Testing;
using Xunit.Abstractions;
using static Hikyaku.EndToEnd.Tests.Infrastructure.LateReportSteps;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// Readers error-stopped by a late bounce miss the stories that come due while they are stopped; restored, they get what
/// their magazine's catch-up policy says. Judged from what the simulated provider received, and /missed must agree with it.
/// </summary>
[Collection(BounceIntakeCollection.Name)]
public sealed class StepCatchUpTests(BounceIntakeFixture fixture, ITestOutputHelper output)
{
    private const int ReadersPerPolicy = 8;
    private static readonly string[] Policies = ["send-all-missed", "latest-only", "shift-schedule", "skip"];
    private static readonly (string Id, TimeSpan After)[] Sequence =
        [("s0", TimeSpan.Zero), ("s1", TimeSpan.FromSeconds(8)), ("s2", TimeSpan.FromSeconds(13)), ("s3", TimeSpan.FromSeconds(18))];

    private static int _lastOctet;

    [Fact]
    public async Task Restored_readers_get_their_missed_stories_as_each_catch_up_policy_says_and_missed_agrees_with_the_providers_record()
    {
        var (t, tenantId) = await CatchUpSteps.TenantWithPolicyMagazines(fixture, "catch", $"127.0.31.{Interlocked.Increment(ref _lastOctet)}", Policies, Sequence);

        output.WriteLine("set up");
        // shift-schedule's readers are at another provider, so a lane of their own: their shifted s1 comes due about when
        // the others' s3 does, and the gap check below is about the schedule, not about queueing behind that burst.
        var readers = Policies.SelectMany(p => Enumerable.Range(0, ReadersPerPolicy)
            .Select(i => (Policy: p, Email: $"{p[..4]}{i}.{tenantId}@{(p == "shift-schedule" ? "yahoo.co.jp" : "gmail.com")}"))).ToList();
        var subscribed = DateTimeOffset.UtcNow;
        await Task.WhenAll(readers.Select(async r => Assert.Equal(HttpStatusCode.Created, (await t.PostJson($"/v1/magazines/{r.Policy}/subscribers", new { email = r.Email })).StatusCode)));

        var journal = fixture.Providers.Journal;
        List<string> Received(string policy, string email) => CatchUpSteps.Received(journal, tenantId, policy, email);

        // The first story reaches everyone; then a late bounce stops every reader (it will turn out to be wrong).
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(readers.All(r => Received(r.Policy, r.Email).Count == 1)), TimeSpan.FromSeconds(20)), "the first story did not reach every reader");
        output.WriteLine($"s0 reached everyone {DateTimeOffset.UtcNow - subscribed:g} after subscribing");
        var n = 0;
        foreach (var (policy, email) in readers)
        {
            var returnPath = journal.ForRecipient(email).Single(m => m.Subject!.EndsWith(" s0", StringComparison.Ordinal)).Sender;
            await MailToBounceListener(fixture, returnPath, Dsn(returnPath, email, "5.1.1", $"550 5.1.1 <{email}>: Recipient address rejected", OriginalHeaders(returnPath), messageId: $"<dsn-{++n}-{tenantId}@mx.example.jp>"));
        }

        Assert.True(await Poll.UntilAsync(async () => (await Task.WhenAll(readers.Select(async r => (await Reader(t, r.Policy, r.Email)).GetProperty("status").GetString()))).All(s => s == "error-stopped"),
            TimeSpan.FromSeconds(20)), "the late bounces did not stop every reader");

        output.WriteLine($"every reader stopped {DateTimeOffset.UtcNow - subscribed:g} after subscribing");
        Assert.True(DateTimeOffset.UtcNow < subscribed + Sequence[1].After, "the readers were stopped too late: the scene needs them stopped before s1 is due");

        // Stopped while s1 and s2 come due; restored before s3.
        await Poll.UntilTime(subscribed + TimeSpan.FromSeconds(14.5));
        var restoredAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(readers.Select(async r => Assert.Equal(HttpStatusCode.OK, (await t.PostAsync($"/v1/magazines/{r.Policy}/subscribers/{r.Email}/restore", null)).StatusCode)));
        await Poll.UntilTime(subscribed + TimeSpan.FromSeconds(34)); // shift-schedule's last story: due 18 s in, plus the 10 s or so lost
        await Task.Delay(1000);

        var expected = new Dictionary<string, string>
        {
            ["send-all-missed"] = "s0 s1 s2 s3",
            ["latest-only"] = "s0 s2 s3",
            ["shift-schedule"] = "s0 s1 s2 s3",
            ["skip"] = "s0 s3",
        };
        foreach (var (policy, email) in readers)
        {
            Assert.Equal((policy, expected[policy]), (policy, string.Join(' ', Received(policy, email))));

            // /missed is what an observer of the provider computes: due by the sequence, and never received or bounced
            // afterwards (s0, which this test bounced).
            var view = await Reader(t, policy, email);
            var at = view.GetProperty("subscribedAt").GetDateTimeOffset();
            var observed = Sequence.Where(s => at + s.After <= DateTimeOffset.UtcNow && (s.Id == "s0" || !Received(policy, email).Contains(s.Id))).Select(s => s.Id);
            var missed = await (await t.GetAsync($"/v1/magazines/{policy}/subscribers/{email}/missed")).Json();
            Assert.Equal(observed, missed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("storyId").GetString()!));
            Assert.All(missed.GetProperty("items").EnumerateArray(), i => Assert.Equal("error-stopped", i.GetProperty("reason").GetString()));
        }

        // shift-schedule keeps the gaps: the missed stories move later by the time lost, not all at once. Each story's hand-over
        // on this two-core machine, under the whole suite, jitters by up to about a second (0.8 s measured); sent at once, the
        // gaps would be a fraction of one.
        foreach (var (_, email) in readers.Where(r => r.Policy == "shift-schedule"))
        {
            var times = journal.ForRecipient(email).Where(m => m.Subject!.StartsWith($"{tenantId} shift-schedule ", StringComparison.Ordinal)).OrderBy(m => m.Time).Select(m => m.Time).ToList();
            Assert.True(times[1] > restoredAt, "s1 went before the reader was restored");
            Assert.True(times[2] - times[1] >= TimeSpan.FromSeconds(4) && times[3] - times[2] >= TimeSpan.FromSeconds(4), $"gaps {times[2] - times[1]}, {times[3] - times[2]}");
        }

        // An operator's resend of what skip left out: two calls at once queue each story once, and it arrives once.
        var (_, skipped) = readers.First(r => r.Policy == "skip");
        var calls = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => t.PostAsync($"/v1/magazines/skip/subscribers/{skipped}/resend-missed", null)));
        Assert.All(calls, c => Assert.Equal(HttpStatusCode.Accepted, c.StatusCode));
        var queued = await Task.WhenAll(calls.Select(async c => (await c.Json()).GetProperty("queued").EnumerateArray().Select(q => q.GetString()).ToList()));
        Assert.Equal("s1 s2", string.Join(' ', queued.SelectMany(q => q)));
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(Received("skip", skipped).Count == 4), TimeSpan.FromSeconds(20)), "the resent stories did not arrive");
        await Task.Delay(1000);
        Assert.Equal("s0 s3 s1 s2", string.Join(' ', Received("skip", skipped)));
        var again = await (await t.PostAsync($"/v1/magazines/skip/subscribers/{skipped}/resend-missed", null)).Json();
        Assert.Empty(again.GetProperty("queued").EnumerateArray());
        // Then every reader of that magazine at once, in the background: the one already resent gets nothing twice.
        foreach (var run in new[] { 1, 2 })
        {
            var started = await t.PostJson("/v1/magazines/skip/resend-missed", new { status = "active" });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var jobId = (await started.Json()).GetProperty("jobId").GetString();
            JsonElement job = default;
            Assert.True(await Poll.UntilAsync(async () => (job = await (await t.GetAsync($"/v1/jobs/{jobId}")).Json()).GetProperty("state").GetString() == "finished", TimeSpan.FromSeconds(30)),
                "the resend job did not finish");
            Assert.Equal(("resend-missed", ReadersPerPolicy, ReadersPerPolicy, 0), (job.GetProperty("kind").GetString(), job.GetProperty("total").GetInt32(), job.GetProperty("done").GetInt32(), job.GetProperty("failed").GetInt32()));
            Assert.True(await Poll.UntilAsync(() => Task.FromResult(readers.Where(r => r.Policy == "skip").All(r => Received("skip", r.Email).Count == 4)), TimeSpan.FromSeconds(20)),
                $"run {run}: the resent stories did not reach every reader");
        }

        await Task.Delay(1000);
        Assert.All(readers.Where(r => r.Policy == "skip"), r => Assert.Equal(["s0", "s1", "s2", "s3"], Received("skip", r.Email).Order()));
        await (await t.GetAsync("/v1/jobs/no-such-job")).AssertProblem(HttpStatusCode.NotFound);
        output.WriteLine($"restored {restoredAt - subscribed:g} after subscribing; {journal.Accepted.Count(m => m.Subject!.StartsWith(tenantId, StringComparison.Ordinal))} stories received");
    }

    private static async Task<JsonElement> Reader(HttpClient t, string magazine, string email) =>
        await (await t.GetAsync($"/v1/magazines/{magazine}/subscribers/{email}")).Json();
}
