using System.Net;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Two silos on one PostgreSQL: kill -9 the silo hosting a reader, the other serves its whole history.</summary>
[Collection(SiloCollection.Name)]
public sealed class ClusteredFailoverTests
{
    private static async Task<Dictionary<string, string>> ClusterSettings()
    {
        var pg = await TempPostgres.SharedAsync();
        return new Dictionary<string, string>
        {
            ["Hikyaku__Storage"] = "Postgres",
            ["ConnectionStrings__Hikyaku"] = await pg.CreateDatabaseAsync("cluster"),
            ["Hikyaku__Cluster__ClusterId"] = "failover-" + Guid.NewGuid().ToString("N")[..8],

            // Declare a killed silo dead within seconds rather than Orleans' production defaults.
            ["Hikyaku__Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["Hikyaku__Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["Hikyaku__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
            ["Hikyaku__Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
        };
    }

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_reader_loses_none_of_its_history()
    {
        var settings = await ClusterSettings();
        var dataA = Directory.CreateTempSubdirectory("hikyaku-a").FullName;
        var dataB = Directory.CreateTempSubdirectory("hikyaku-b").FullName;
        await using var a = await SiloProcess.StartAsync(dataA, settings);
        await using var b = await SiloProcess.StartAsync(dataB, settings);

        var tenantOnA = await a.CreateTenant("fo", "news");
        var key = tenantOnA.DefaultRequestHeaders.Authorization!.Parameter!;
        const string reader = "/v1/magazines/news/subscribers/survivor@example.jp";
        Assert.Equal(HttpStatusCode.Created, (await tenantOnA.PostJson("/v1/magazines/news/subscribers", new { email = "survivor@example.jp", name = "S" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenantOnA.DeleteAsync(reader)).StatusCode);

        a.Kill();
        using var viaB = b.Client(key);
        var history = await EventuallyOk(viaB, reader + "/history");
        Assert.Equal(["reader.subscribed", "reader.unsubscribed"], Types(history));

        // B is now the only silo, so the reader is active on B; write a third event there, then kill B.
        Assert.Equal(HttpStatusCode.Created, (await viaB.PostJson("/v1/magazines/news/subscribers", new { email = "survivor@example.jp" })).StatusCode);
        await using var a2 = await SiloProcess.StartAsync(dataA, settings);
        b.Kill();

        using var viaA = a2.Client(key);
        history = await EventuallyOk(viaA, reader + "/history");
        Assert.Equal(["reader.subscribed", "reader.unsubscribed", "reader.subscribed"], Types(history));
        var view = await EventuallyOk(viaA, reader);
        Assert.Equal("active", view.GetProperty("status").GetString());
        var counts = (await EventuallyOk(viaA, "/v1/magazines/news")).GetProperty("subscriberCounts");
        Assert.Equal((1, 0), (counts.GetProperty("active").GetInt32(), counts.GetProperty("unsubscribed").GetInt32()));
    }

    private static string[] Types(JsonElement history) => history.EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();

    /// <summary>Calls may fail or time out while the cluster declares the killed silo dead; retry until they answer.</summary>
    private static async Task<JsonElement> EventuallyOk(HttpClient http, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                var response = await http.GetAsync(path, cts.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Json();
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"{path} did not answer 200 within 120 s; last: {last}");
    }
}
