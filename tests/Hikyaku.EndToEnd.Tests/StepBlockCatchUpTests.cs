using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Grains.Delivery;
using Hikyaku.MxSim;
using Hikyaku.MxSim.Journal;
using Hikyaku.Testing;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// Step mail through blocks, per catch-up policy: a 4-story sequence (PT0S/PT20S/PT40S/PT60S), 500 readers per policy
/// subscribed over 10 s at four providers, 3 sending IPs. From 15 s to 50 s Microsoft blocks one IP in disguise ("550 5.1.1
/// recipient does not exist") and docomo blocks all three in disguise. Microsoft's held readers are served from the clean
/// IPs and miss nothing; docomo's are held until the lanes reopen after the cooldown, miss what came due meanwhile, and get
/// what their magazine's policy says. Judged from what the simulated providers received; /missed must agree with it.
/// </summary>
/// <remarks>A collection of its own: its time is the block and the cooldown (a minute, the shortest allowed).</remarks>
public sealed class StepBlockCatchUpTests(DeliveryFixture fixture, ITestOutputHelper output) : IClassFixture<DeliveryFixture>
{
    private const int ReadersPerPolicy = 500;
    private static readonly string[] Policies = ["send-all-missed", "latest-only", "shift-schedule", "skip"];
    private static readonly string[] Domains = ["gmail.com", "hotmail.com", "docomo.ne.jp", "icloud.com"];
    private static readonly (string Id, TimeSpan After)[] Sequence =
        [("s0", TimeSpan.Zero), ("s1", TimeSpan.FromSeconds(20)), ("s2", TimeSpan.FromSeconds(40)), ("s3", TimeSpan.FromSeconds(60))];

    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(20);

    private sealed record Reader(string Policy, string Email)
    {
        public string Domain => Email[(Email.IndexOf('@') + 1)..];
    }

    [Fact]
    public async Task Readers_held_by_a_disguised_block_get_their_missed_stories_as_each_policy_says_and_readers_served_from_clean_ips_miss_nothing()
    {
        var tenantId = $"blkcu-{Guid.NewGuid():N}"[..16];
        var t = await fixture.Silo.CreateTenant(tenantId, Policies);
        var ips = new[] { "127.0.0.191", "127.0.0.192", "127.0.0.193" };
        using (var admin = fixture.Silo.AdminClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 1000, batchInterval = "PT0S", autoResendMissed = true, cooldown = "PT1M" })).StatusCode);
        foreach (var policy in Policies)
        {
            Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync($"/v1/magazines/{policy}", new { catchUp = policy })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync($"/v1/magazines/{policy}/steps",
                Sequence.Select(s => new { id = s.Id, after = System.Xml.XmlConvert.ToString(s.After), subject = $"{tenantId} {policy} {s.Id}", textBody = $"Story {s.Id}." }))).StatusCode);
        }

        var readers = Policies.SelectMany(p => Enumerable.Range(0, ReadersPerPolicy)
            .Select(i => new Reader(p, $"{p[..4]}{i:D3}.{tenantId}@{Domains[i % Domains.Length]}"))).ToList();
        readers.ForEach(r => fixture.Providers.ProviderFor(r.Domain)!.AddMailbox(r.Email));

        // Over 10 s: a tenth of every magazine's readers each second.
        var start = DateTimeOffset.UtcNow;
        foreach (var wave in readers.GroupBy(r => int.Parse(r.Email[4..7]) * 10 / ReadersPerPolicy).OrderBy(g => g.Key))
        {
            await Poll.UntilTime(start + TimeSpan.FromSeconds(wave.Key));
            await Task.WhenAll(wave.Select(async r => Assert.Equal(HttpStatusCode.Created, (await t.PostJson($"/v1/magazines/{r.Policy}/subscribers", new { email = r.Email })).StatusCode)));
        }

        output.WriteLine($"{readers.Count} readers subscribed in {DateTimeOffset.UtcNow - start:g}");
        var journal = fixture.Providers.Journal;
        Dictionary<string, List<AcceptedMessage>> Received() => journal.Accepted
            .Where(m => m.Subject?.StartsWith(tenantId + " ", StringComparison.Ordinal) == true)
            .GroupBy(m => m.Recipient).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Time).ToList());

        // The IP most of Microsoft's readers are placed on (the lanes' rendezvous hashing), and all of docomo's.
        var microsoft = fixture.Providers["microsoft"];
        var docomo = fixture.Providers["docomo"];
        var atMicrosoft = readers.Where(r => r.Domain == "hotmail.com").ToList();
        var blockedIp = ips.MaxBy(ip => atMicrosoft.Count(r => LaneRouting.Choose(r.Email, ips, _ => true, null) == ip))!;
        await Poll.UntilTime(start + TimeSpan.FromSeconds(15));
        var blockedAt = DateTimeOffset.UtcNow;
        microsoft.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: blockedIp);
        foreach (var ip in ips)
        {
            docomo.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: ip);
        }

        try
        {
            await Poll.UntilTime(start + TimeSpan.FromSeconds(50));
        }
        finally
        {
            microsoft.ClearBehaviour(blockedIp);
            foreach (var ip in ips)
            {
                docomo.ClearBehaviour(ip);
            }
        }

        var liftedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"blocks from {blockedAt - start:g} to {liftedAt - start:g}");

        // Docomo's readers are released when their held s1 goes through (after the cooldown, on a probe); then everything the
        // policies send comes within the sequence's last gaps (shift-schedule moves s3 about 40 s past the release).
        var atDocomo = readers.Where(r => r.Domain == "docomo.ne.jp").ToList();
        bool GotS1(Dictionary<string, List<AcceptedMessage>> got, Reader r) => got.TryGetValue(r.Email, out var l) && l.Any(m => m.Subject!.EndsWith(" s1", StringComparison.Ordinal));
        if (!await Poll.UntilAsync(() => Task.FromResult(Received() is var got && atDocomo.All(r => GotS1(got, r))), TimeSpan.FromSeconds(150)))
        {
            var got = Received();
            await Explain(atDocomo.Where(r => !GotS1(got, r)).ToList());
            Assert.Fail("docomo's held readers were not released");
        }

        var received = Received();
        var releasedAt = atDocomo.ToDictionary(r => r.Email, r => received[r.Email].First(m => m.Subject!.EndsWith(" s1", StringComparison.Ordinal)).Time);
        output.WriteLine($"docomo readers released {releasedAt.Values.Min() - start:g} to {releasedAt.Values.Max() - start:g} after the first subscription");
        await Poll.UntilTime(releasedAt.Values.Max() + 2 * Gap + TimeSpan.FromSeconds(3));

        // What each reader must have received, from the providers' record alone.
        var views = new Dictionary<string, JsonElement>();
        await Task.WhenAll(readers.Chunk(50).Select(async chunk =>
        {
            foreach (var r in chunk)
            {
                var view = await (await t.GetAsync($"/v1/magazines/{r.Policy}/subscribers/{r.Email}")).Json();
                lock (views)
                {
                    views[r.Email] = view;
                }
            }
        }));

        // What the blocks and the readers' own histories say, for whoever must find out why a reader got something else.
        async Task Explain(IReadOnlyList<Reader> wrong)
        {
            if (wrong.Count == 0)
            {
                return;
            }

            output.WriteLine($"{wrong.Count} readers received something else; blocks: {(await (await t.GetAsync("/v1/blocks")).Json()).GetRawText()}");
            foreach (var ip in ips)
            {
                var times = journal.Rejected.Where(x => x.Provider == "docomo" && x.SourceIp.ToString() == ip).Select(x => x.Time - start).ToList();
                output.WriteLine($"docomo refused {times.Count} from {ip}, first {times.FirstOrDefault():g}, last {times.LastOrDefault():g}");
            }

            output.WriteLine($"docomo's lanes: {(await (await t.GetAsync("/v1/domains/docomo.ne.jp")).Json()).GetRawText()}");
            output.WriteLine(string.Join('\n', fixture.Silo.Output.Split('\n').Where(l => l.Contains("docomo", StringComparison.Ordinal) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).TakeLast(40)));
            var got = Received();
            foreach (var r in wrong.Take(2))
            {
                output.WriteLine($"{r.Email} received {string.Join(", ", got.GetValueOrDefault(r.Email, []).Select(m => $"{m.Subject![^2..]} at {m.Time - start:g} from {m.SourceIp}"))}");
                output.WriteLine(await (await t.GetAsync($"/v1/magazines/{r.Policy}/subscribers/{r.Email}/history")).Content.ReadAsStringAsync());
            }
        }

        List<string> Expected(Reader r)
        {
            var all = Sequence.Select(s => s.Id).ToList();
            if (r.Domain != "docomo.ne.jp")
            {
                return all;
            }

            // Missed at the release: due before the held s1 went through.
            var at = views[r.Email].GetProperty("subscribedAt").GetDateTimeOffset();
            var missed = Sequence.Skip(2).Where(s => at + s.After < releasedAt[r.Email]).Select(s => s.Id).ToList();
            var rest = all.Skip(2).Except(missed).ToList();
            return r.Policy switch
            {
                "latest-only" => [.. all.Take(2), .. missed.TakeLast(1), .. rest],
                "skip" => [.. all.Take(2), .. rest],
                _ => all,
            };
        }

        Assert.True(await Poll.UntilAsync(() => Task.FromResult(Received() is var got && readers.All(r => got.GetValueOrDefault(r.Email)?.Count >= Expected(r).Count)), TimeSpan.FromSeconds(30)),
            "not every reader received what its policy sends");
        await Task.Delay(2000); // anything sent twice would arrive by now
        received = Received();
        var wrong = readers.Where(r => string.Join(' ', Expected(r)) != string.Join(' ', received[r.Email].Select(m => m.Subject![^2..]))).ToList();
        await Explain(wrong);
        var missedSomething = 0;
        foreach (var r in readers)
        {
            var got = received[r.Email];
            Assert.Equal((r.Email, string.Join(' ', Expected(r))), (r.Email, string.Join(' ', got.Select(m => m.Subject![^2..]))));
            var at = views[r.Email].GetProperty("subscribedAt").GetDateTimeOffset();
            foreach (var m in got)
            {
                var due = at + Sequence.Single(s => s.Id == m.Subject![^2..]).After;
                Assert.True(m.Time >= due - TimeSpan.FromMilliseconds(5), $"{r.Email} got {m.Subject} at {m.Time:O}, due {due:O}");
            }

            Assert.All(got, m => Assert.Contains(m.SourceIp.ToString(), ips));
            Assert.Equal((r.Email, "active"), (r.Email, views[r.Email].GetProperty("status").GetString()));
            if (r is { Domain: "docomo.ne.jp", Policy: "shift-schedule" })
            {
                // The remaining sequence moved later by the time lost: its stories keep the sequence's gaps.
                Assert.True(got[2].Time - got[1].Time >= Gap - TimeSpan.FromSeconds(2) && got[3].Time - got[2].Time >= Gap - TimeSpan.FromSeconds(2),
                    $"{r.Email}: gaps {got[2].Time - got[1].Time}, {got[3].Time - got[2].Time}");
            }

            // /missed is what an observer of the providers computes: due, and never received; held by docomo's block.
            var observed = Sequence.Where(s => at + s.After <= DateTimeOffset.UtcNow && got.All(m => !m.Subject!.EndsWith(" " + s.Id, StringComparison.Ordinal))).Select(s => s.Id).ToList();
            var missed = (await (await t.GetAsync($"/v1/magazines/{r.Policy}/subscribers/{r.Email}/missed")).Json()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal((r.Email, string.Join(' ', observed)), (r.Email, string.Join(' ', missed.Select(i => i.GetProperty("storyId").GetString()))));
            Assert.All(missed, i => Assert.Equal("held", i.GetProperty("reason").GetString()));
            missedSomething += observed.Count > 0 ? 1 : 0;
        }

        // The blocks were met, and recognised for what they were.
        var refused = journal.Rejected.Where(x => x.Time >= blockedAt).ToList();
        output.WriteLine($"refused during the blocks: Microsoft {refused.Count(x => x.Provider == "microsoft")} from {blockedIp}, docomo {refused.Count(x => x.Provider == "docomo")}; " +
            $"{missedSomething} readers left with missed stories; {received.Values.Sum(l => l.Count)} stories received");
        Assert.True(refused.Any(x => x.Provider == "microsoft" && x.SourceIp.ToString() == blockedIp), "no story was offered on Microsoft's blocked lane");
        Assert.All(ips, ip => Assert.True(refused.Any(x => x.Provider == "docomo" && x.SourceIp.ToString() == ip), $"docomo's block on {ip} was never met"));
        var blocks = (await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(blocks, b => (b.GetProperty("provider").GetString(), b.GetProperty("sourceIp").GetString(), b.GetProperty("kind").GetString()) == ("microsoft", blockedIp, "disguised"));
        Assert.All(ips, ip => Assert.Contains(blocks, b => (b.GetProperty("provider").GetString(), b.GetProperty("sourceIp").GetString()) == ("docomo", ip)));
        Assert.Equal(ReadersPerPolicy / Domains.Length * 2, missedSomething); // latest-only's and skip's docomo readers
        foreach (var policy in Policies)
        {
            var counts = (await (await t.GetAsync($"/v1/magazines/{policy}")).Json()).GetProperty("subscriberCounts");
            Assert.Equal((policy, ReadersPerPolicy, 0, 0), (policy, counts.GetProperty("active").GetInt32(), counts.GetProperty("held").GetInt32(), counts.GetProperty("errorStopped").GetInt32()));
        }
    }
}
