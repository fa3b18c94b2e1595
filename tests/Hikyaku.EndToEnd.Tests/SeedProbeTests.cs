using System.Net;
using System.Net.Http.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// Seed addresses on loopback: test deliveries go to every seed from every sending IP. Judged from what the simulated
/// providers received.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class SeedProbeTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
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
}
