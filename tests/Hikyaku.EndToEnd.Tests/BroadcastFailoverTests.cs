using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;
using Hikyaku.Testing;
using Hikyaku.Testing.Dns;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// Two silos on one PostgreSQL; Gmail blocks one of the tenant's two IPs; the silo keeping Gmail's block state (and maybe
/// running the broadcast) is killed a quarter of the way through.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class BroadcastFailoverTests(ITestOutputHelper output)
{
    private const int Readers = 2000;
    private static readonly string[] Domains = ["gmail.com", "googlemail.com", "docomo.ne.jp"];

    [Fact]
    public async Task Killing_the_silo_keeping_a_block_during_a_broadcast_keeps_the_block_and_its_cooldown_loses_no_reader_and_duplicates_stay_within_what_was_in_flight()
    {
        var port = TempPostgres.FreeLoopbackPort();
        await using var providers = await MxSimHost.StartAsync(
        [
            new ProviderOptions { Profile = "google", Listen = new IPEndPoint(IPAddress.Parse("127.0.11.1"), port), AcceptAll = true, DefaultBehaviour = Behaviour.SlowReplies(TimeSpan.FromMilliseconds(15)) },
            new ProviderOptions { Profile = "docomo", Listen = new IPEndPoint(IPAddress.Parse("127.0.11.2"), port), AcceptAll = true, DefaultBehaviour = Behaviour.SlowReplies(TimeSpan.FromMilliseconds(15)) },
        ]);
        await using var dns = LoopbackDnsServer.Start("""
            gmail-smtp-in.l.google.com. 300 IN A 127.0.11.1
            mfsmax.docomo.ne.jp.        300 IN A 127.0.11.2
            gmail.com.      300 IN MX 5 gmail-smtp-in.l.google.com.
            googlemail.com. 300 IN MX 5 gmail-smtp-in.l.google.com.
            docomo.ne.jp.   300 IN MX 10 mfsmax.docomo.ne.jp.
            """);
        var pg = await TempPostgres.SharedAsync();
        var settings = FailoverCluster.Settings(await pg.CreateDatabaseAsync("failover"), "bfo", port, dns.EndPoint);
        settings["Delivery__Lanes__Concurrency"] = "2";
        settings["Delivery__Lanes__BatchSize"] = "20";
        await using var a = await SiloProcess.StartAsync(Directory.CreateTempSubdirectory("hikyaku-bfo-a").FullName, settings);
        await using var b = await SiloProcess.StartAsync(Directory.CreateTempSubdirectory("hikyaku-bfo-b").FullName, settings);

        var t = await a.CreateTenant("bfo", "news");
        var key = t.DefaultRequestHeaders.Authorization!.Parameter!;
        using (var admin = a.AdminClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/bfo/ips", new { ips = new[] { "127.0.0.21", "127.0.0.22" } })).StatusCode);
        }

        await Import(t);
        // Gmail refuses 127.0.0.22 in its own words from the start, for the whole test.
        providers["google"].SetBehaviour(Behaviour.ExplicitBlock, sourceIp: "127.0.0.22");
        var created = await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "failover issue", textBody = "Hello.\n" + new string('y', 4000) });
        var id = (await created.Json()).GetProperty("id").GetString()!;

        // Halfway: find the silo the broadcast runs on and kill it.
        Assert.True(await Poll.UntilAsync(async () =>
        {
            // The broadcast grain may be busy for longer than the API deadline on a crowded machine: 503, ask again.
            using var response = await t.GetAsync($"/v1/broadcasts/{id}");
            return response.IsSuccessStatusCode && (await response.Json()).GetProperty("delivered").GetInt32() >= Readers / 4;
        }, TimeSpan.FromMinutes(3)), "the broadcast did not get a quarter through");

        var blockBefore = Assert.Single((await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal(("google", "127.0.0.22", "explicit", "active"), (blockBefore.GetProperty("provider").GetString(), blockBefore.GetProperty("sourceIp").GetString(),
            blockBefore.GetProperty("kind").GetString(), blockBefore.GetProperty("state").GetString()));

        // Kill the silo keeping Gmail's block state. When the broadcast runs on the other silo, it survives, and the readers
        // queued in the lanes of the dead silo must be handed out again when it sees the silo leave, not minutes later.
        using var diag = a.AdminClient();
        var siteHost = await diag.Silo("/v1/diagnostics/sites/google/silo");
        var host = await diag.Silo($"/v1/diagnostics/broadcasts/bfo/{id}/silo");
        var siloA = await diag.Silo("/v1/diagnostics/silo");
        var (victim, survivor) = siteHost == siloA ? (a, b) : (b, a);
        var countedAtKill = (await (await t.GetAsync($"/v1/broadcasts/{id}")).Json()).GetProperty("delivered").GetInt32();
        victim.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var acceptedAtKill = providers.Journal.Accepted.Count(m => m.Subject == "failover issue");
        output.WriteLine($"killed the silo keeping Gmail's block state ({siteHost}); the broadcast ran on {host}");

        using var client = survivor.Client(key);
        var finished = await WaitFinished(client, id);

        // The block and its cooldown survived: the same block, still active until the same time, and the new activation never
        // offered Gmail another message from the blocked IP.
        var blockAfter = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/v1/blocks")).GetProperty("items").EnumerateArray());
        Assert.Equal((blockBefore.GetProperty("id").GetString(), "active", blockBefore.GetProperty("until").GetDateTimeOffset()),
            (blockAfter.GetProperty("id").GetString(), blockAfter.GetProperty("state").GetString(), blockAfter.GetProperty("until").GetDateTimeOffset()));
        Assert.Equal(0, providers.Journal.Rejected.Count(r => r.Provider == "google" && r.SourceIp.ToString() == "127.0.0.22" && r.Time > killedAt));
        Assert.Equal(0, providers.Journal.Accepted.Count(m => m.Provider == "google" && m.SourceIp.ToString() == "127.0.0.22"));

        var received = providers.Journal.Accepted.Where(m => m.Subject == "failover issue").GroupBy(m => m.Recipient).ToDictionary(g => g.Key, g => g.Count());
        var duplicates = received.Values.Sum(n => n - 1);
        var inFlightAtKill = acceptedAtKill - countedAtKill;
        output.WriteLine($"killed {(victim == a ? "A" : "B")}; delivered counted at kill {countedAtKill}, accepted by providers at kill {acceptedAtKill}; duplicates {duplicates}");
        Assert.Equal(("finished", Readers, Readers), (finished.GetProperty("state").GetString(), finished.GetProperty("total").GetInt32(), finished.GetProperty("delivered").GetInt32()));
        Assert.Equal(Readers, received.Count);

        // A duplicate is a message that reached the provider but whose outcome the dead silo never recorded,
        // or one a lane was sending when the kill came: at most the lanes' batches in flight (2 IPs x 2 sites
        // x 2 connections x 20) plus what was accepted but not yet counted.
        Assert.InRange(duplicates, 0, inFlightAtKill + (2 * 2 * 2 * 20));
    }

    private static async Task Import(HttpClient t)
    {
        var csv = new StringBuilder("email\n");
        for (var i = 0; i < Readers; i++)
        {
            csv.Append($"f{i:D5}@{Domains[i % Domains.Length]}\n");
        }

        var importId = (await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json()).GetProperty("importId").GetString();
        await t.WaitImportFinished(importId!);
    }

    private static async Task<JsonElement> WaitFinished(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                var response = await client.GetAsync($"/v1/broadcasts/{id}", cts.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var view = await response.Json();
                    last = view.ToString();
                    if (view.GetProperty("state").GetString() == "finished")
                    {
                        return view;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"the broadcast did not finish after the kill; last: {last}");
    }
}
