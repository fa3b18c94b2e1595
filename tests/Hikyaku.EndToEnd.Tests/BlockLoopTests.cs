using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;
using Hikyaku.Testing;

using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// A provider blocks one of a tenant's sending IPs in the middle of a broadcast, in disguise ("mailbox unavailable" for
/// every reader) or in so many words. Judged from what the simulated providers received: no existing reader is
/// error-stopped, every existing mailbox is served exactly once from a clean IP, and few recipients are offered on the
/// blocked lane after its first block reply.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class BlockLoopTests(DeliveryFixture fixture, ITestOutputHelper output) : IClassFixture<DeliveryFixture>
{
    private static int _nextOctet = 200;

    [Fact]
    public async Task Disguised_blocks_of_one_ip_at_three_providers_hold_their_readers_and_they_are_served_from_the_other_ips_while_dead_addresses_are_still_stopped()
    {
        var (t, tenantId, ips, readers) = await TenantWithReaders("disguise", 660, unknownEvery: 11, ["hotmail.com", "outlook.com", "live.jp", "gmail.com", "yahoo.com", "docomo.ne.jp"]);
        var blockedIp = ips[1];
        var googleBlockedIp = ips[2];
        var docomoBlockedIp = ips[0];
        var broadcast = await Broadcast(t, "disguised-block issue");
        var microsoft = fixture.Providers["microsoft"];
        var google = fixture.Providers["google"];
        var docomo = fixture.Providers["docomo"];
        try
        {
            // The blocks begin once the lanes have a history of accepted mail, as they do in the field: Microsoft blocks one
            // IP, Google another, docomo a third (its filter's "Unknown user" after DATA, for recipients accepted at RCPT).
            Assert.True(await Poll.UntilAsync(() => Task.FromResult(AcceptedFrom("microsoft", blockedIp) >= 20), TimeSpan.FromSeconds(60)), "the lane never got going");
            microsoft.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: blockedIp);
            Assert.True(await Poll.UntilAsync(() => Task.FromResult(AcceptedFrom("google", googleBlockedIp) >= 5), TimeSpan.FromSeconds(60)), "the Gmail lane never got going");
            google.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: googleBlockedIp);
            Assert.True(await Poll.UntilAsync(() => Task.FromResult(AcceptedFrom("docomo", docomoBlockedIp) >= 5), TimeSpan.FromSeconds(60)), "the docomo lane never got going");
            docomo.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: docomoBlockedIp);
            var view = await WaitFinished(t, broadcast);

            var existing = readers.Where(r => !r.Unknown).Select(r => r.Email).ToList();
            var unknown = readers.Where(r => r.Unknown).Select(r => r.Email).ToHashSet();
            var journal = fixture.Providers.Journal;
            Assert.All(existing, e => Assert.Equal(1, journal.ForRecipient(e).Count(m => m.Subject == "disguised-block issue")));
            Assert.Equal((existing.Count, unknown.Count, 0, 0), (view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32(), view.GetProperty("held").GetInt32(), view.GetProperty("pending").GetInt32()));

            // The block's evidence: every RCPT the simulated Microsoft refused from the blocked IP once the block began.
            var refused = journal.Rejected.Where(r => r.Provider == "microsoft" && r.SourceIp.ToString() == blockedIp && r.Stage == SmtpStage.RcptTo).OrderBy(r => r.Time).ToList();
            var first = refused.First(r => !unknown.Contains(r.Recipient!)).Time;
            var after = refused.Count(r => r.Time > first) + AcceptedFrom("microsoft", blockedIp, after: first);
            Assert.True(after <= 20, $"{after} RCPTs were offered on the blocked lane after its first disguised reply");
            var refusedByGoogle = journal.Rejected.Where(r => r.Provider == "google" && r.SourceIp.ToString() == googleBlockedIp).OrderBy(r => r.Time).ToList();
            var firstAtGoogle = refusedByGoogle.First(r => !unknown.Contains(r.Recipient!)).Time;
            var afterAtGoogle = refusedByGoogle.Count(r => r.Time > firstAtGoogle) + AcceptedFrom("google", googleBlockedIp, after: firstAtGoogle);
            Assert.True(afterAtGoogle <= 20, $"{afterAtGoogle} RCPTs were offered on the lane Google blocked after its first disguised reply");
            var refusedByDocomo = journal.Rejected.Where(r => r.Provider == "docomo" && r.SourceIp.ToString() == docomoBlockedIp && r.Stage == SmtpStage.Data).OrderBy(r => r.Time).ToList();
            var firstAtDocomo = refusedByDocomo.First().Time;
            var afterAtDocomo = journal.Rejected.Count(r => r.Provider == "docomo" && r.SourceIp.ToString() == docomoBlockedIp && r.Time > firstAtDocomo)
                + AcceptedFrom("docomo", docomoBlockedIp, after: firstAtDocomo);
            Assert.True(afterAtDocomo <= 20, $"{afterAtDocomo} messages were offered on the lane docomo blocked after its first filter refusal");

            // Only the addresses that do not exist are stopped (不達読者一覧); nobody who exists.
            var undeliverable = await (await t.GetAsync("/v1/magazines/news/undeliverable?limit=1000")).Json();
            var stopped = undeliverable.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()!).ToHashSet();
            Assert.Equal(unknown.Order(), stopped.Order());

            var blocks = (await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal([("docomo", docomoBlockedIp, "disguised"), ("google", googleBlockedIp, "disguised"), ("microsoft", blockedIp, "disguised")],
                blocks.Select(b => (b.GetProperty("provider").GetString(), b.GetProperty("sourceIp").GetString(), b.GetProperty("kind").GetString())).Order());
            var block = blocks.Single(b => b.GetProperty("provider").GetString() == "microsoft");
            Assert.True(block.GetProperty("held").GetInt32() + block.GetProperty("errorStoppedThenHeld").GetInt32() > 0);
            Assert.NotEmpty(block.GetProperty("evidence").EnumerateArray());
            var detail = await (await t.GetAsync($"/v1/blocks/{block.GetProperty("id").GetString()}")).Json();
            // The figures explain the decision: a run of unknown-user replies against the baseline, or a reader refused from
            // this IP and accepted from another (which of the two comes first depends on timing).
            var figures = detail.GetProperty("figures");
            Assert.True(figures.GetProperty("window").GetInt32() > 0, figures.GetRawText());
            var rule = figures.GetProperty("rule").GetString()!;
            Assert.True(figures.GetProperty("unknown").GetInt32() > 0 || rule.Contains($"refused from {blockedIp}", StringComparison.Ordinal), rule);

            // The tenant's own lane toward Microsoft shows it; another tenant sees nothing of it.
            var domain = await (await t.GetAsync("/v1/domains/hotmail.com")).Json();
            var lane = domain.GetProperty("lanes").EnumerateArray().Single(l => l.GetProperty("sourceIp").GetString() == blockedIp);
            Assert.Equal("blocked", lane.GetProperty("state").GetString());
            Assert.True(lane.GetProperty("blockedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);
            using var other = await fixture.Silo.CreateTenant($"other-{Guid.NewGuid():N}"[..20], "news");
            Assert.Empty((await (await other.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray());
            await (await other.GetAsync($"/v1/blocks/{block.GetProperty("id").GetString()}")).AssertProblem(HttpStatusCode.NotFound);
        }
        finally
        {
            microsoft.ClearBehaviour(blockedIp);
            google.ClearBehaviour(googleBlockedIp);
            docomo.ClearBehaviour(docomoBlockedIp);
        }
    }

    [Fact]
    public async Task Explicit_blocks_at_gmail_apple_and_yahoo_stop_each_lane_within_five_recipients_and_their_readers_go_out_from_the_other_ips()
    {
        var (t, _, ips, readers) = await TenantWithReaders("explicit", 360, unknownEvery: 0, ["gmail.com", "icloud.com", "yahoo.com", "googlemail.com", "me.com", "ymail.com"]);
        // Each provider blocks a different IP, in its own words: Gmail after DATA, Apple through Proofpoint at RCPT, Yahoo's
        // TSS04 at MAIL.
        var blockedAt = new Dictionary<string, string> { ["google"] = ips[2], ["apple"] = ips[0], ["yahoo"] = ips[1] };
        var broadcast = await Broadcast(t, "explicit-block issue");
        try
        {
            foreach (var (provider, ip) in blockedAt)
            {
                Assert.True(await Poll.UntilAsync(() => Task.FromResult(AcceptedFrom(provider, ip) >= 5), TimeSpan.FromSeconds(60)), $"the {provider} lane from {ip} never got going");
                fixture.Providers[provider].SetBehaviour(Behaviour.ExplicitBlock, sourceIp: ip);
            }

            var view = await WaitFinished(t, broadcast);

            var journal = fixture.Providers.Journal;
            Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r.Email).Count(m => m.Subject == "explicit-block issue")));
            Assert.Equal((readers.Count, 0, 0), (view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32(), view.GetProperty("held").GetInt32()));
            foreach (var (provider, ip) in blockedAt)
            {
                var refused = journal.Rejected.Where(r => r.Provider == provider && r.SourceIp.ToString() == ip).OrderBy(r => r.Time).ToList();
                var first = refused[0].Time;
                var after = refused.Count(r => r.Time > first) + AcceptedFrom(provider, ip, after: first);
                Assert.True(after <= 5, $"{after} messages were offered to {provider} on the blocked lane after its first block reply");
            }

            var blocks = (await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(blockedAt.Select(b => (b.Key, b.Value, "explicit", "active")).Order(),
                blocks.Select(b => (b.GetProperty("provider").GetString()!, b.GetProperty("sourceIp").GetString()!, b.GetProperty("kind").GetString()!, b.GetProperty("state").GetString()!)).Order());
            string Evidence(string provider)
            {
                var reply = blocks.Single(b => b.GetProperty("provider").GetString() == provider).GetProperty("evidence").EnumerateArray().First().GetProperty("reply");
                return $"{reply.GetProperty("code").GetInt32()} {reply.GetProperty("enhanced").GetString()} {reply.GetProperty("text").GetString()}";
            }

            Assert.Contains("5.7.1", Evidence("google"), StringComparison.Ordinal);
            Assert.Contains($"ipcheck.proofpoint.com/?ip={blockedAt["apple"]}", Evidence("apple"), StringComparison.Ordinal);
            Assert.Contains("[TSS04]", Evidence("yahoo"), StringComparison.Ordinal);

            // Apple's kit points at Proofpoint's lookup with the IP filled in.
            var appleBlock = blocks.Single(b => b.GetProperty("provider").GetString() == "apple").GetProperty("id").GetString()!;
            var appleKit = await (await t.GetAsync($"/v1/blocks/{appleBlock}/delist-kit?lang=en")).Json();
            Assert.Equal($"https://ipcheck.proofpoint.com/?ip={blockedAt["apple"]}", appleKit.GetProperty("formUrl").GetString());

            // Gmail's kit: the form, the IP, and the replies to paste, in Japanese (default) and English.
            var blockedIp = blockedAt["google"];
            var id = blocks.Single(b => b.GetProperty("provider").GetString() == "google").GetProperty("id").GetString()!;
            var kit = await (await t.GetAsync($"/v1/blocks/{id}/delist-kit?lang=en")).Json();
            Assert.Equal(("google", blockedIp, "en"), (kit.GetProperty("provider").GetString(), kit.GetProperty("ip").GetString(), kit.GetProperty("language").GetString()));
            Assert.StartsWith("https://", kit.GetProperty("formUrl").GetString(), StringComparison.Ordinal);
            var lines = kit.GetProperty("evidence").EnumerateArray().Select(l => l.GetString()!).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Contains($" {blockedIp} -> ", l, StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("5.7.1", StringComparison.Ordinal));
            Assert.Contains(blockedIp, kit.GetProperty("text").GetString(), StringComparison.Ordinal);
            // The SMTP dialogue behind the newest refusals, to paste with the lines.
            var dialogue = kit.GetProperty("transcripts").EnumerateArray().Last();
            Assert.Contains(dialogue.GetProperty("line").GetString(), lines);
            var said = dialogue.GetProperty("transcript").EnumerateArray().Select(l => l.GetString()!).ToList();
            Assert.Contains(said, l => l.StartsWith("C: RCPT TO:<", StringComparison.Ordinal));
            Assert.Contains(said, l => l.StartsWith("S: 550", StringComparison.Ordinal) && l.Contains("5.7.1", StringComparison.Ordinal));
            Assert.Contains("  C: RCPT TO:<", kit.GetProperty("text").GetString(), StringComparison.Ordinal);
            var ja = await (await t.GetAsync($"/v1/blocks/{id}/delist-kit")).Json();
            Assert.Equal("ja", ja.GetProperty("language").GetString());
            Assert.Contains("JST", ja.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal(lines, ja.GetProperty("evidence").EnumerateArray().Select(l => l.GetString()!).ToList());
            var byIp = await (await t.GetAsync($"/v1/blocks/google/{blockedIp}/delist-kit?lang=en")).Json();
            Assert.Equal(id, byIp.GetProperty("blockId").GetString());
            await (await t.GetAsync($"/v1/blocks/{id}/delist-kit?lang=fr")).AssertFieldProblem("lang");
            await (await t.GetAsync($"/v1/blocks/google/127.0.0.250/delist-kit")).AssertProblem(HttpStatusCode.NotFound);

            // The operator lifts it: the lane probes, the provider takes the probes again, and the block ends.
            fixture.Providers["google"].ClearBehaviour(blockedIp);
            var lifted = await (await t.PostAsync($"/v1/blocks/{id}/lift", null)).Json();
            Assert.Equal("lifted", lifted.GetProperty("state").GetString());
            await (await t.PostAsync($"/v1/blocks/{id}/lift", null)).AssertProblem(HttpStatusCode.Conflict);
        }
        finally
        {
            foreach (var (provider, ip) in blockedAt)
            {
                fixture.Providers[provider].ClearBehaviour(ip);
            }
        }
    }

    [Fact]
    public async Task A_rate_limited_provider_is_paced_near_its_limit_and_no_reader_fails_or_is_held()
    {
        var (t, _, ips, readers) = await TenantWithReaders("ratelimit", 150, unknownEvery: 0, ["gmail.com", "googlemail.com"]);
        // Gmail takes 10 messages per IP in any two seconds and answers the rest with its 421 4.7.28: 15 a second over three IPs.
        const int PerWindow = 10;
        var window = TimeSpan.FromSeconds(2);
        var google = fixture.Providers["google"];
        foreach (var ip in ips)
        {
            google.SetBehaviour(Behaviour.RateLimit(PerWindow, window), sourceIp: ip);
        }

        try
        {
            var broadcast = await Broadcast(t, "rate-limited issue");
            var view = await WaitFinished(t, broadcast);

            var journal = fixture.Providers.Journal;
            Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r.Email).Count(m => m.Subject == "rate-limited issue")));
            Assert.Equal((readers.Count, 0, 0, 0), (view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32(),
                view.GetProperty("held").GetInt32(), view.GetProperty("pending").GetInt32()));
            Assert.Empty((await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray());

            // The limit was met, and the lanes slowed to it instead of hammering: fewer refusals than readers, and the whole
            // broadcast within twice the time the limit itself needs (plus the retry delays of the first refusals).
            var accepted = readers.Select(r => journal.ForRecipient(r.Email).Single(m => m.Subject == "rate-limited issue").Time).Order().ToList();
            var refusals = journal.Rejected.Count(r => r.Provider == "google" && ips.Contains(r.SourceIp.ToString()) && r.Time >= accepted[0]);
            Assert.InRange(refusals, 1, readers.Count - 1);
            var ideal = TimeSpan.FromTicks(window.Ticks * readers.Count / (PerWindow * ips.Length));
            var took = accepted[^1] - accepted[0];
            output.WriteLine($"{readers.Count} readers in {took.TotalSeconds:0.0} s ({readers.Count / took.TotalSeconds:0.0}/s against a limit of {PerWindow * ips.Length / window.TotalSeconds:0.0}/s), {refusals} rate-limit refusals");
            Assert.True(took <= ideal * 2 + TimeSpan.FromSeconds(5), $"{readers.Count} readers took {took.TotalSeconds:0.0} s; the limit allows them in {ideal.TotalSeconds:0.0} s");
            var domain = await (await t.GetAsync("/v1/domains/gmail.com")).Json();
            Assert.Contains(domain.GetProperty("lanes").EnumerateArray(), l => l.GetProperty("rateLimit").GetDouble() < 6000);
        }
        finally
        {
            foreach (var ip in ips)
            {
                google.ClearBehaviour(ip);
            }
        }
    }

    [Fact]
    public async Task With_real_delivery_the_sandbox_block_route_does_not_exist()
    {
        using var admin = fixture.Silo.AdminClient();
        using var response = await admin.PostJson("/v1/sandbox/blocks", new { provider = "microsoft", ip = "127.0.0.2", mode = "explicit", seconds = 60 });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private int AcceptedFrom(string provider, string ip, DateTimeOffset? after = null) =>
        fixture.Providers.Journal.FromSource(ip).Count(m => m.Provider == provider && (after is null || m.Time > after));

    private async Task<(HttpClient Tenant, string TenantId, string[] Ips, List<(string Email, bool Unknown)> Readers)> TenantWithReaders(string name, int count, int unknownEvery, string[] domains)
    {
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..20];
        var t = await fixture.Silo.CreateTenant(tenantId, "news");
        var octet = Interlocked.Add(ref _nextOctet, 3) - 3;
        var ips = new[] { $"127.0.0.{octet}", $"127.0.0.{octet + 1}", $"127.0.0.{octet + 2}" };
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips })).StatusCode);
        // 一斉送信数 / 待機時間: 40 readers a second, so the block begins in the middle of the broadcast.
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 40, batchInterval = "PT1S", autoResendMissed = true, cooldown = "PT1H" })).StatusCode);

        var readers = Enumerable.Range(0, count)
            .Select(i => ($"{name}{i:D5}@{domains[i % domains.Length]}", unknownEvery > 0 && i % unknownEvery == unknownEvery - 1))
            .ToList();
        foreach (var (email, _) in readers.Where(r => !r.Item2))
        {
            fixture.Providers.ProviderFor(email.Split('@')[1])!.AddMailbox(email);
        }

        var csv = new StringBuilder("email,name\n");
        readers.ForEach(r => csv.Append(r.Item1).Append(",Reader\n"));
        var accepted = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
        var finished = await t.WaitImportFinished(accepted.GetProperty("importId").GetString()!);
        Assert.Equal(count, finished.GetProperty("imported").GetInt32());
        return (t, tenantId, ips, readers);
    }

    private static async Task<string> Broadcast(HttpClient t, string subject)
    {
        var created = await t.PostJson("/v1/magazines/news/broadcasts", new { subject, textBody = "Hello, readers.\nこんにちは。" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.Json()).GetProperty("id").GetString()!;
    }

    private static Task<JsonElement> WaitFinished(HttpClient t, string broadcastId) => t.WaitFinished(broadcastId, TimeSpan.FromSeconds(180));
}
