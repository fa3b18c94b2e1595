using System.Net;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class EmbeddedRestartTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "hikyaku-restart-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public async Task A_readers_events_survive_kill_9_of_the_embedded_silo()
    {
        string apiKey;
        await using (var silo = await SiloProcess.StartAsync(_dataDir))
        {
            var t = await silo.CreateTenant("crash", "news");
            apiKey = t.DefaultRequestHeaders.Authorization!.Parameter!;
            Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "kept@example.jp", name = "Kept" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await t.DeleteAsync("/v1/magazines/news/subscribers/kept@example.jp")).StatusCode);
            silo.Kill();
        }

        await using var restarted = await SiloProcess.StartAsync(_dataDir);
        using var client = restarted.Client(apiKey);
        var history = await (await client.GetAsync("/v1/magazines/news/subscribers/kept@example.jp/history")).Json();
        Assert.Equal(["reader.subscribed", "reader.unsubscribed"], history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var reader = await (await client.GetAsync("/v1/magazines/news/subscribers/kept@example.jp")).Json();
        Assert.Equal(("unsubscribed", "Kept"), (reader.GetProperty("status").GetString(), reader.GetProperty("name").GetString()));
        var counts = (await (await client.GetAsync("/v1/magazines/news")).Json()).GetProperty("subscriberCounts");
        Assert.Equal(1, counts.GetProperty("unsubscribed").GetInt32());

        // The list routes' directories are event-sourced too: both lists still name what was created.
        var magazines = await (await client.GetAsync("/v1/magazines")).Json();
        Assert.Equal(["news"], magazines.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        using var admin = restarted.AdminClient();
        var tenants = await (await admin.GetAsync("/v1/tenants")).Json();
        Assert.Equal(["crash"], tenants.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_generated_admin_key_is_stored_and_printed_only_at_first_start()
    {
        var settings = new Dictionary<string, string> { ["Hikyaku__AdminKey"] = string.Empty };
        string key;
        await using (var first = await SiloProcess.StartAsync(_dataDir, settings))
        {
            key = File.ReadAllText(Path.Combine(_dataDir, "admin.key")).Trim();
            await WaitForOutput(first, key);
            using var admin = first.Client(key);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/v1/tenants", new { id = "k", name = "K" })).StatusCode);
        }

        await using var second = await SiloProcess.StartAsync(_dataDir, settings);
        await WaitForOutput(second, "Admin key  in");
        Assert.DoesNotContain(key, second.Output, StringComparison.Ordinal);
        using var again = second.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/v1/tenants/k")).StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static async Task WaitForOutput(SiloProcess silo, string text)
    {
        for (var i = 0; i < 100 && !silo.Output.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(text, silo.Output, StringComparison.Ordinal);
    }
}
