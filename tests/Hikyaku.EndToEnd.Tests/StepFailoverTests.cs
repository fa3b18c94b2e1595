using System.Net;
using System.Net.Http.Json;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;
using Hikyaku.Testing;
using Hikyaku.Testing.Dns;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// Two silos on one PostgreSQL; a magazine's step scheduler runs on one of them, and that silo is killed between two
/// stories, just after an operator queued the missed stories of a few restored readers. Judged from the providers' record:
/// no story skipped, none doubled, what was queued goes once, and the story due while the cluster was finding out goes
/// after.
/// </summary>
[Collection(StepMailCollection.Name)]
public sealed class StepFailoverTests(ITestOutputHelper output)
{
    private const int Readers = 120;
    private static readonly (string Id, int After)[] Sequence = [("s0", 0), ("s1", 6), ("s2", 12), ("s3", 18)];

    [Fact]
    public async Task Killing_the_silo_running_a_magazines_step_scheduler_skips_no_story_and_doubles_none()
    {
        var port = TempPostgres.FreeLoopbackPort();
        await using var providers = await MxSimHost.StartAsync(
        [
            new ProviderOptions { Profile = "google", Listen = new IPEndPoint(IPAddress.Parse("127.0.12.1"), port), AcceptAll = true },
            new ProviderOptions { Profile = "docomo", Listen = new IPEndPoint(IPAddress.Parse("127.0.12.2"), port), AcceptAll = true },
            // Yahoo knows no mailbox at first: its readers are stopped on the first story.
            new ProviderOptions { Profile = "yahoo", Listen = new IPEndPoint(IPAddress.Parse("127.0.12.3"), port) },
        ]);
        await using var dns = LoopbackDnsServer.Start("""
            gmail-smtp-in.l.google.com. 300 IN A 127.0.12.1
            mfsmax.docomo.ne.jp.        300 IN A 127.0.12.2
            mta5.am0.yahoodns.net.      300 IN A 127.0.12.3
            gmail.com.      300 IN MX 5 gmail-smtp-in.l.google.com.
            docomo.ne.jp.   300 IN MX 10 mfsmax.docomo.ne.jp.
            yahoo.com.      300 IN MX 1 mta5.am0.yahoodns.net.
            """);
        var pg = await TempPostgres.SharedAsync();
        var settings = FailoverCluster.Settings(await pg.CreateDatabaseAsync("stepfailover"), "sfo", port, dns.EndPoint);
        await using var a = await SiloProcess.StartAsync(Directory.CreateTempSubdirectory("hikyaku-sfo-a").FullName, settings);
        await using var b = await SiloProcess.StartAsync(Directory.CreateTempSubdirectory("hikyaku-sfo-b").FullName, settings);

        var t = await a.CreateTenant("sfo", "news");
        var key = t.DefaultRequestHeaders.Authorization!.Parameter!;
        using (var admin = a.AdminClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/sfo/ips", new { ips = new[] { "127.0.0.31", "127.0.0.32" } })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/magazines/news/steps",
            Sequence.Select(s => new { id = s.Id, after = $"PT{s.After}S", subject = $"sfo {s.Id}", textBody = s.Id }))).StatusCode);
        // Missed stories wait for the operator (no automatic resend).
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 1000, batchInterval = "PT0S", autoResendMissed = false, cooldown = "PT1H" })).StatusCode);
        var csv = new StringBuilder("email\n");
        var readers = Enumerable.Range(0, Readers).Select(i => $"f{i:D3}@{(i % 2 == 0 ? "gmail.com" : "docomo.ne.jp")}").ToList();
        var ghosts = Enumerable.Range(0, 3).Select(i => $"g{i}@yahoo.com").ToList();
        readers.Concat(ghosts).ToList().ForEach(r => csv.Append(r).Append('\n'));
        var subscribed = DateTimeOffset.UtcNow;
        await t.WaitImportFinished((await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json()).GetProperty("importId").GetString()!);

        var journal = providers.Journal;
        int Got(string story) => readers.Count(r => journal.ForRecipient(r).Any(m => m.Subject == $"sfo {story}"));
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(Got("s1") == Readers), TimeSpan.FromSeconds(40)), $"s1 reached {Got("s1")} of {Readers} readers");

        // The ghosts were stopped on s0 and missed s1. Their mailboxes come back; restored, their missed stories wait for the
        // operator, who resends them; the silo running the scheduler is killed at once, before s2 is due for anyone.
        Assert.True(await Poll.UntilAsync(async () => (await Task.WhenAll(ghosts.Select(async g =>
            (await (await t.GetAsync($"/v1/magazines/news/subscribers/{g}")).Json()).GetProperty("status").GetString()))).All(s => s == "error-stopped"), TimeSpan.FromSeconds(20)),
            "the readers without a mailbox were not stopped");
        ghosts.ForEach(g => providers["yahoo"].AddMailbox(g));
        foreach (var g in ghosts)
        {
            Assert.Equal(HttpStatusCode.OK, (await t.PostAsync($"/v1/magazines/news/subscribers/{g}/restore", null)).StatusCode);
        }

        using var diag = a.AdminClient();
        var host = await diag.Silo("/v1/diagnostics/magazines/sfo/news/steps");
        var siloA = await diag.Silo("/v1/diagnostics/silo");
        var (victim, survivor) = host == siloA ? (a, b) : (b, a);
        Assert.Equal(0, Got("s2"));
        var resent = await Task.WhenAll(ghosts.Select(g => t.PostAsync($"/v1/magazines/news/subscribers/{g}/resend-missed", null)));
        victim.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"resent stories that reached the ghosts before the kill: {ghosts.Sum(g => journal.ForRecipient(g).Count)} of {2 * ghosts.Count}");
        foreach (var response in resent)
        {
            Assert.Equal("s0 s1", string.Join(' ', (await response.Json()).GetProperty("queued").EnumerateArray().Select(q => q.GetString())));
        }

        output.WriteLine($"killed {(victim == a ? "A" : "B")} (the scheduler's silo) {(killedAt - subscribed).TotalSeconds:F1} s after the import began");

        Assert.True(await Poll.UntilAsync(() => Task.FromResult(Got("s3") == Readers && ghosts.All(g => journal.ForRecipient(g).Count == Sequence.Length)), TimeSpan.FromSeconds(90)),
            $"s3 reached {Got("s3")} of {Readers} readers after the kill; the ghosts got {ghosts.Sum(g => journal.ForRecipient(g).Count)} stories");
        await Task.Delay(1500);
        foreach (var reader in readers.Concat(ghosts))
        {
            Assert.Equal(["sfo s0", "sfo s1", "sfo s2", "sfo s3"], journal.ForRecipient(reader).OrderBy(m => m.Time).Select(m => m.Subject));
        }

        var s2 = readers.Select(r => journal.ForRecipient(r).Single(m => m.Subject == "sfo s2").Time).ToList();
        output.WriteLine($"s2 (due {Sequence[2].After} s in) reached the last reader {(s2.Max() - killedAt).TotalSeconds:F1} s after the kill");
        using var client = survivor.Client(key);
        var view = await (await client.GetAsync($"/v1/magazines/news/subscribers/{readers[0]}")).Json();
        Assert.Equal(4, view.GetProperty("stepPosition").GetProperty("delivered").GetInt32());
    }
}
