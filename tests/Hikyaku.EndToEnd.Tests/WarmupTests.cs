using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Delivery on loopback with a tiny warm-up curve toward Microsoft: 15 messages on day 0, 30 on day 1.</summary>
public sealed class TinyWarmupDeliveryFixture : DeliveryFixture
{
    public const int MicrosoftDay0Cap = 15;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Delivery__Warmup__Curves__microsoft__0"] = MicrosoftDay0Cap.ToString(),
        ["Delivery__Warmup__Curves__microsoft__1"] = "30",
    };
}

/// <summary>
/// A tenant with two sending IPs, one warming up toward Microsoft (an operator's restart) and one warm, broadcasts to
/// Microsoft readers. Judged from what the simulated Microsoft received: the warming IP sent no more than the day's cap,
/// the warm IP the rest, every reader exactly once, nobody failed; the IP's page shows the cap and the count.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class WarmupTests(TinyWarmupDeliveryFixture fixture, ITestOutputHelper output) : IClassFixture<TinyWarmupDeliveryFixture>
{
    private const int Readers = 80;
    private const string Subject = "warm-up issue";

    [Fact]
    public async Task A_warming_ip_sends_at_most_its_daily_cap_to_microsoft_and_the_warm_ip_sends_the_rest_once_each()
    {
        var clock = Stopwatch.StartNew();
        var tenantId = $"warmup-{Guid.NewGuid():N}"[..20];
        var t = await fixture.Silo.CreateTenant(tenantId, "news");
        const string warming = "127.0.0.160", warm = "127.0.0.161";
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips = new[] { warming, warm } })).StatusCode);

        // Bad input changes nothing and names the field.
        await (await admin.PostJson($"/v1/ips/{warming}/warmup", new { day = -1 })).AssertFieldProblem("day");
        await (await admin.PostJson($"/v1/ips/{warming}/warmup", new { provider = "micro soft" })).AssertFieldProblem("provider");
        await (await admin.PostRaw($"/v1/ips/{warming}/warmup", "{\"day\": \"first\"}")).AssertFieldProblem("day");
        await (await admin.PostJson("/v1/ips/not-an-ip/warmup", new { day = 0 })).AssertFieldProblem("ip");
        await (await admin.DeleteAsync($"/v1/ips/{warm}/warmup?provider=%0d%0a")).AssertFieldProblem("provider");
        Assert.Equal("warm", (await Ip(admin, warming)).GetProperty("warmup").GetProperty("state").GetString());

        // The operator starts one IP's warm-up toward Microsoft and says the other is warm.
        var started = await (await admin.PostJson($"/v1/ips/{warming}/warmup", new { day = 0, provider = "microsoft" })).Json();
        Assert.Equal("warming", started.GetProperty("state").GetString());
        Assert.Equal(("microsoft", 0, 15, 0), Figures(started.GetProperty("providers").EnumerateArray().Single()));
        var ended = await (await admin.DeleteAsync($"/v1/ips/{warm}/warmup")).Json();
        Assert.Equal("warm", ended.GetProperty("state").GetString());

        var readers = Enumerable.Range(0, Readers).Select(i => $"w{i:D3}@{DeliveryFixture.Domains["microsoft"][i % 3]}").ToList();
        readers.ForEach(r => fixture.Providers["microsoft"].AddMailbox(r));
        await t.Import(readers);
        var view = await t.WaitFinished(await t.Broadcast(Subject), TimeSpan.FromSeconds(120));

        var journal = fixture.Providers.Journal;
        var fromWarming = journal.FromSource(warming).Count(m => m.Subject == Subject);
        var fromWarm = journal.FromSource(warm).Count(m => m.Subject == Subject);
        output.WriteLine($"{fromWarming} from the warming IP, {fromWarm} from the warm one, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.InRange(fromWarming, 1, TinyWarmupDeliveryFixture.MicrosoftDay0Cap);
        Assert.Equal(Readers - fromWarming, fromWarm);
        Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r).Count(m => m.Subject == Subject)));
        Assert.Equal((Readers, 0, 0, 0, 0), (view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32(),
            view.GetProperty("held").GetInt32(), view.GetProperty("pending").GetInt32(), view.GetProperty("bounced").EnumerateObject().Sum(b => b.Value.GetInt32())));

        // The IP's page agrees with what Microsoft received.
        var ip = await Ip(admin, warming);
        Assert.Equal(fromWarming, ip.GetProperty("sentToday").GetInt32());
        Assert.Equal("warming", ip.GetProperty("warmup").GetProperty("state").GetString());
        Assert.Equal(("microsoft", 0, 15, fromWarming), Figures(ip.GetProperty("warmup").GetProperty("providers").EnumerateArray().Single()));
        var warmIp = await Ip(admin, warm);
        Assert.Equal((fromWarm, "warm"), (warmIp.GetProperty("sentToday").GetInt32(), warmIp.GetProperty("warmup").GetProperty("state").GetString()));
    }

    private static async Task<JsonElement> Ip(HttpClient admin, string ip) => await (await admin.GetAsync($"/v1/ips/{ip}")).Json();

    private static (string?, int, int, int) Figures(JsonElement p) =>
        (p.GetProperty("provider").GetString(), p.GetProperty("day").GetInt32(), p.GetProperty("capToday").GetInt32(), p.GetProperty("sentToday").GetInt32());
}
