using System.Diagnostics;
using System.Net;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;
using Hikyaku.Testing;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// PostgreSQL stops in the middle of a broadcast. Reads and writes answer 503 with Retry-After within the API deadline
/// instead of hanging; once the database is back they succeed, the refused write changed nothing, and the broadcast
/// loses no reader.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class DatabaseOutageAnswersTests(ITestOutputHelper output)
{
    private const int Readers = 300;
    private const string Subject = "outage issue";

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_answer_503_within_5_s_and_after_it_returns_they_succeed_and_nothing_is_lost()
    {
        await using var pg = await TempPostgres.StartAsync(fsync: false);
        var port = TempPostgres.FreeLoopbackPort();
        await using var provider = await MxSimHost.StartAsync(
        [
            new ProviderOptions { Profile = "google", Listen = new IPEndPoint(IPAddress.Parse("127.0.12.1"), port), AcceptAll = true, DefaultBehaviour = Behaviour.SlowReplies(TimeSpan.FromMilliseconds(20)) },
        ]);
        await using var silo = await SiloProcess.StartAsync(Directory.CreateTempSubdirectory("hikyaku-pgdown").FullName, new Dictionary<string, string>
        {
            ["Hikyaku__Storage"] = "Postgres",
            ["ConnectionStrings__Hikyaku"] = await pg.CreateDatabaseAsync("outage"),
            ["Hikyaku__Cluster__ClusterId"] = "outage-" + Guid.NewGuid().ToString("N")[..8],
            ["Delivery__Sandbox"] = "false",
            ["Delivery__Routes__gmail.com"] = $"127.0.12.1:{port}",
            ["Delivery__Lanes__ApplyProviderDefaults"] = "false",
            ["Delivery__Warmup__NewIps"] = "false",
            ["Delivery__Lanes__Concurrency"] = "1",
            ["Delivery__Lanes__BatchSize"] = "10",
        });
        var t = await silo.CreateTenant("pgdown", "news");
        using (var admin = silo.AdminClient())
        {
            // Outside the sandbox mail leaves only from a tenant's own sending IPs.
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/v1/tenants/pgdown/ips", new StringContent("{\"ips\":[\"127.0.31.1\"]}", Encoding.UTF8, "application/json"))).StatusCode);
        }

        var csv = new StringBuilder("email\n");
        for (var i = 0; i < Readers; i++)
        {
            csv.Append($"o{i:D4}@gmail.com\n");
        }

        var importId = (await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json()).GetProperty("importId").GetString()!;
        await t.WaitImportFinished(importId);
        var broadcast = (await (await t.PostJson("/v1/magazines/news/broadcasts", new { subject = Subject, textBody = "Hello." })).Json()).GetProperty("id").GetString()!;
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(provider.Journal.Accepted.Count(m => m.Subject == Subject) >= 20), TimeSpan.FromSeconds(30)), "the broadcast did not start");

        var clock = Stopwatch.StartNew();
        pg.Stop();
        var unknown = Guid.NewGuid().ToString("N");
        var (running, notActive, writes, queries) = (new List<TimedAnswer>(), new List<TimedAnswer>(), new List<TimedAnswer>(), new List<TimedAnswer>());
        while (clock.Elapsed < TimeSpan.FromSeconds(8))
        {
            var round = await Task.WhenAll(
                TimedAnswer.GetAsync(t, $"/v1/broadcasts/{broadcast}", clock),
                TimedAnswer.GetAsync(t, $"/v1/broadcasts/{unknown}", clock),
                TimedAnswer.SendAsync(t, () => new HttpRequestMessage(HttpMethod.Post, "/v1/magazines/news/subscribers") { Content = JsonContent("{\"email\":\"late@gmail.com\"}") }, clock),
                TimedAnswer.GetAsync(t, "/v1/magazines/news/undeliverable", clock));
            (running, notActive, writes, queries) = ([.. running, round[0]], [.. notActive, round[1]], [.. writes, round[2]], [.. queries, round[3]]);
        }

        var stoppedFor = clock.Elapsed;
        await pg.RestartAsync();
        var back = clock.Elapsed;
        List<TimedAnswer> down = [.. running, .. notActive, .. writes, .. queries];
        output.WriteLine($"PostgreSQL down {stoppedFor.TotalSeconds:F1} s; {down.Count} answers meanwhile: {string.Join(", ", down.GroupBy(a => a.Status).Select(g => $"{g.Count()} × {g.Key}"))}; " +
            $"slowest {down.Max(a => a.Duration).TotalSeconds:F2} s, median {down.Select(a => a.Duration).Order().ElementAt(down.Count / 2).TotalSeconds:F2} s");
        foreach (var a in new[] { running[0], notActive[0], writes[0], queries[0] })
        {
            output.WriteLine("  " + a);
        }

        // The running broadcast may answer from memory (200) or wait behind its own write (503); a grain that has to
        // read the store first, a write, and a query the endpoint sends the store itself cannot be answered.
        Assert.All(down, a => Assert.True(a.Duration < TimeSpan.FromSeconds(5), "too slow: " + a));
        Assert.All(running, a => Assert.True(a.Status is 200 or 503, a.ToString()));
        Assert.All(down.Where(a => a.Status != 200), a => a.AssertUnavailable());
        Assert.All(notActive.Concat(writes), a => a.AssertUnavailable());
        Assert.All(notActive.Concat(writes), a => Assert.Contains("the event store (PostgreSQL) does not answer", a.Body, StringComparison.Ordinal));
        Assert.All(queries, a => a.AssertUnavailable());
        Assert.All(queries, a => Assert.Contains("The event store (PostgreSQL) is unavailable", a.Body, StringComparison.Ordinal));

        // Once the database is back (and the grains' read back-off, at most 10 s, has passed) the same requests are
        // answered, and the refused subscription changed nothing: the reader does not exist, and asking again creates it once.
        Assert.True(await Poll.UntilAsync(async () => (await t.GetAsync($"/v1/broadcasts/{broadcast}")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30)), "the broadcast did not answer after PostgreSQL came back");
        Assert.True(await Poll.UntilAsync(async () => (await t.GetAsync($"/v1/broadcasts/{unknown}")).StatusCode == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30)), "the unknown broadcast did not answer 404");
        Assert.True(await Poll.UntilAsync(async () => (await t.GetAsync("/v1/magazines/news/subscribers/late@gmail.com")).StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30)), "the reader did not answer");
        output.WriteLine($"after PostgreSQL came back, the new reader's grain answered within {(clock.Elapsed - back).TotalSeconds:F1} s");
        Assert.Equal(HttpStatusCode.NotFound, (await t.GetAsync("/v1/magazines/news/subscribers/late@gmail.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "late@gmail.com" })).StatusCode);
        var history = await (await t.GetAsync("/v1/magazines/news/subscribers/late@gmail.com/history")).Json();
        Assert.Equal(["reader.subscribed"], history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        // No accepted send is lost: the broadcast finishes with every reader delivered, as the provider saw it.
        Assert.True(await Poll.UntilAsync(async () => (await (await t.GetAsync($"/v1/broadcasts/{broadcast}")).Json()).GetProperty("state").GetString() == "finished", TimeSpan.FromSeconds(60)), "the broadcast did not finish");
        var view = await (await t.GetAsync($"/v1/broadcasts/{broadcast}")).Json();
        var received = provider.Journal.Accepted.Where(m => m.Subject == Subject).GroupBy(m => m.Recipient).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"finished: delivered {view.GetProperty("delivered").GetInt32()} of {view.GetProperty("total").GetInt32()}; the provider received {received.Count} readers, {received.Values.Sum(n => n - 1)} twice");
        Assert.Equal((Readers, Readers), (view.GetProperty("total").GetInt32(), view.GetProperty("delivered").GetInt32()));
        Assert.Equal(Readers, received.Count);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
