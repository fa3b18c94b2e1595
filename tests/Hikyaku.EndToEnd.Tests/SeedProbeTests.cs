using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;
using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests;

// A collection of its own, beside the others: its time goes to a cooldown and the probes after it.
/// <summary>
/// Seed addresses on loopback: a lane cooling down after a block probes the tenant's own mailbox at the provider first,
/// even with no reader left in it, and opens only once the provider takes that message; test deliveries go to every seed
/// from every sending IP. Judged from what the simulated providers received.
/// </summary>
public sealed class SeedProbeTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private const string ProbeSubject = "Hikyaku test delivery: a probe of";

    [Fact]
    public async Task A_cooling_lane_with_no_readers_left_probes_the_seed_first_and_reopens_only_when_the_provider_takes_it()
    {
        var (t, _, ips, readers) = await AllBlockedSteps.TenantWithReaders(fixture, "seedprobe", 30, ["hotmail.com", "outlook.com"], cooldown: "PT1M");
        var blocked = ips[0];
        var seed = $"seed-{Guid.NewGuid():N}"[..17] + "@hotmail.com";
        var microsoft = fixture.Providers["microsoft"];
        microsoft.AddMailbox(seed);
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/seed-addresses", new { items = new[] { new { provider = "microsoft", address = seed } } })).StatusCode);
        microsoft.SetBehaviour(Behaviour.ExplicitBlock, sourceIp: blocked);
        try
        {
            // Microsoft refuses one IP: its readers rotate to the other, and the blocked lane is left with nobody to send.
            var broadcast = await AllBlockedSteps.Broadcast(t, "seed-probe issue");
            var finished = await AllBlockedSteps.WaitFinished(t, broadcast, TimeSpan.FromSeconds(60));
            Assert.Equal((readers.Count, 0), (finished.GetProperty("delivered").GetInt32(), finished.GetProperty("errorStopped").GetInt32()));
            var block = Assert.Single((await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray());
            var blockId = block.GetProperty("id").GetString()!;
            var firstUntil = block.GetProperty("until").GetDateTimeOffset();
            Assert.Equal(("microsoft", blocked), (block.GetProperty("provider").GetString(), block.GetProperty("sourceIp").GetString()));

            // The cooldown (a minute) ends with nobody queued on the lane: it probes the seed all the same, and Microsoft still refuses.
            JsonElement detail = default;
            Assert.True(await Poll.UntilAsync(async () =>
            {
                detail = await (await t.GetAsync($"/v1/blocks/{blockId}")).Json();
                return detail.GetProperty("seedProbes").GetArrayLength() > 0;
            }, TimeSpan.FromSeconds(100)), "the lane never probed the seed after its cooldown");
            var refused = detail.GetProperty("seedProbes")[0];
            Assert.Equal((seed, "refused"), (refused.GetProperty("seed").GetString(), refused.GetProperty("outcome").GetString()));
            Assert.Equal("active", detail.GetProperty("state").GetString());
            Assert.True(detail.GetProperty("until").GetDateTimeOffset() > firstUntil.AddSeconds(90), $"the cooldown was not extended: {detail.GetProperty("until")}");
            Assert.Contains(detail.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("rcpt").GetString() == seed);
            var journal = fixture.Providers.Journal;
            Assert.Empty(journal.ForRecipient(seed));
            Assert.Contains(journal.Rejected, r => r.Provider == "microsoft" && r.SourceIp.ToString() == blocked && r.Time > firstUntil);
            Assert.Equal("blocked", await LaneState(t, blocked));

            // Microsoft lets the IP in again; the operator lifts the block: the seed takes the probes and the lane opens.
            microsoft.ClearBehaviour(blocked);
            Assert.Equal(HttpStatusCode.OK, (await t.PostAsync($"/v1/blocks/{blockId}/lift", null)).StatusCode);
            Assert.True(await Poll.UntilAsync(async () => await LaneState(t, blocked) == "open", TimeSpan.FromSeconds(30)), "the lane never opened after its seed probes");
            var probes = journal.ForRecipient(seed);
            Assert.NotEmpty(probes);
            Assert.All(probes, m => Assert.Equal((blocked, true), (m.SourceIp.ToString(), m.Subject!.StartsWith(ProbeSubject, StringComparison.Ordinal))));
            var ended = await (await t.GetAsync($"/v1/blocks/{blockId}")).Json();
            Assert.Equal("ended", ended.GetProperty("state").GetString());
            Assert.Contains(ended.GetProperty("seedProbes").EnumerateArray(), p => p.GetProperty("outcome").GetString() == "passed");

            // Every reader was served once, none from the blocked IP: the probes never needed one.
            Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r).Count(m => m.Subject == "seed-probe issue")));
            Assert.DoesNotContain(journal.FromSource(blocked), m => m.Subject == "seed-probe issue");
        }
        finally
        {
            microsoft.ClearBehaviour(blocked);
        }
    }

    [Fact]
    public async Task Test_deliveries_go_to_every_seed_from_every_sending_ip_or_to_one_providers_from_one_ip()
    {
        var (t, _, ips, _) = await AllBlockedSteps.TenantWithReaders(fixture, "seedtest", 1, ["gmail.com"], cooldown: "P1D");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var seeds = new Dictionary<string, string> { ["microsoft"] = $"ms-{tag}@outlook.com", ["google"] = $"g-{tag}@gmail.com" };
        foreach (var (provider, address) in seeds)
        {
            fixture.Providers[provider].AddMailbox(address);
        }

        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/seed-addresses", new { items = seeds.Select(s => new { provider = s.Key, address = s.Value }) })).StatusCode);

        var all = await (await t.PostJson("/v1/test-deliveries", new { seeds = true })).Json();
        var results = all.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(
            seeds.Values.SelectMany(s => ips.Select(ip => (s, ip, "delivered"))).Order(),
            results.Select(r => (r.GetProperty("to").GetString()!, r.GetProperty("sourceIp").GetString()!, r.GetProperty("classification").GetString()!)).Order());
        Assert.Equal(seeds.Keys.Order(), results.Select(r => r.GetProperty("provider").GetString()!).Distinct().Order());
        var journal = fixture.Providers.Journal;
        foreach (var seed in seeds.Values)
        {
            Assert.Equal(ips.Order(), journal.ForRecipient(seed).Select(m => m.SourceIp.ToString()).Order());
            Assert.All(journal.ForRecipient(seed), m => Assert.Equal("Hikyaku test delivery", m.Subject));
        }

        // One provider's seeds from one IP; `to` omitted means the seeds too.
        var one = await (await t.PostJson("/v1/test-deliveries", new { provider = "google", sourceIp = ips[1] })).Json();
        var single = Assert.Single(one.GetProperty("results").EnumerateArray());
        Assert.Equal((seeds["google"], ips[1]), (single.GetProperty("to").GetString(), single.GetProperty("sourceIp").GetString()));
        Assert.Equal(2, journal.ForRecipient(seeds["google"]).Count(m => m.SourceIp.ToString() == ips[1]));
        Assert.Single(journal.ForRecipient(seeds["microsoft"]), m => m.SourceIp.ToString() == ips[1]);

        // Bad requests name the field and send nothing.
        var accepted = journal.AcceptedCount;
        await (await t.PostJson("/v1/test-deliveries", new { seeds = true, to = new[] { seeds["google"] } })).AssertFieldProblem("seeds");
        await (await t.PostJson("/v1/test-deliveries", new { provider = "hotmail" })).AssertFieldProblem("provider");
        await (await t.PostJson("/v1/test-deliveries", new { provider = "apple" })).AssertFieldProblem("provider");
        await (await t.PostJson("/v1/test-deliveries", new { to = new[] { seeds["google"] }, provider = "google" })).AssertFieldProblem("provider");
        Assert.Equal(accepted, journal.AcceptedCount);
    }

    private static async Task<string?> LaneState(HttpClient t, string sourceIp)
    {
        var domain = await (await t.GetAsync("/v1/domains/hotmail.com")).Json();
        return domain.GetProperty("lanes").EnumerateArray().Single(l => l.GetProperty("sourceIp").GetString() == sourceIp).GetProperty("state").GetString();
    }
}
