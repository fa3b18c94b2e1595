using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// The README's walk of the block loop in the embedded default: the admin makes the built-in simulated Microsoft block
/// one of the tenant's two IPs in disguise, a broadcast goes out, and the tenant sees the block while every reader is
/// still delivered (from the other IP) and nobody is error-stopped.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class SandboxBlockTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task A_sandbox_block_is_detected_and_its_readers_are_delivered_from_the_other_ip_with_nobody_error_stopped()
    {
        var tenantId = "sbx-" + Guid.NewGuid().ToString("N")[..8];
        using var t = await fixture.Silo.CreateTenant(tenantId, "news");
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips = new[] { "127.0.0.2", "127.0.0.3" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 40, batchInterval = "PT1S", autoResendMissed = true, cooldown = "PT1H" })).StatusCode);

        // Only the admin may make a provider misbehave, and only with a valid request.
        await (await t.PostJson("/v1/sandbox/blocks", new { provider = "microsoft", ip = "127.0.0.3", mode = "disguised", seconds = 600 })).AssertProblem(HttpStatusCode.Forbidden);
        await (await admin.PostJson("/v1/sandbox/blocks", new { provider = "hotmail", ip = "127.0.0.3", mode = "disguised", seconds = 600 })).AssertFieldProblem("provider");
        await (await admin.PostJson("/v1/sandbox/blocks", new { provider = "microsoft", ip = "192.0.2.1", mode = "disguised", seconds = 600 })).AssertFieldProblem("ip");
        await (await admin.PostJson("/v1/sandbox/blocks", new { provider = "microsoft", ip = "127.0.0.3", mode = "sometimes", seconds = 600 })).AssertFieldProblem("mode");
        await (await admin.PostJson("/v1/sandbox/blocks", new { provider = "microsoft", ip = "127.0.0.3", mode = "disguised", seconds = 0 })).AssertFieldProblem("seconds");
        Assert.Empty((await (await admin.GetAsync("/v1/sandbox/blocks")).Json()).GetProperty("items").EnumerateArray());

        var set = await admin.PostJson("/v1/sandbox/blocks", new { provider = "microsoft", ip = "127.0.0.3", mode = "disguised", seconds = 600 });
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        var shown = Assert.Single((await (await admin.GetAsync("/v1/sandbox/blocks")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal(("microsoft", "127.0.0.3"), (shown.GetProperty("provider").GetString(), shown.GetProperty("ip").GetString()));

        var readers = Enumerable.Range(0, 120).Select(i => $"sbx{i:D3}@{(i % 2 == 0 ? "hotmail.com" : "outlook.jp")}").ToList();
        var csv = new StringBuilder("email\n");
        readers.ForEach(r => csv.Append(r).Append('\n'));
        var import = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
        Assert.Equal(120, (await t.WaitImportFinished(import.GetProperty("importId").GetString()!)).GetProperty("imported").GetInt32());

        var created = await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "sandbox block", textBody = "Hello." });
        var id = (await created.Json()).GetProperty("id").GetString()!;
        var view = await (await t.GetAsync($"/v1/broadcasts/{id}")).Json();
        for (var i = 0; i < 600 && view.GetProperty("state").GetString() != "finished"; i++)
        {
            await Task.Delay(200);
            view = await (await t.GetAsync($"/v1/broadcasts/{id}")).Json();
        }

        // 不達読者一覧 is empty: nobody was error-stopped for the block.
        var undeliverable = await (await t.GetAsync("/v1/magazines/news/undeliverable?limit=1000")).Json();
        Assert.True(undeliverable.GetProperty("items").GetArrayLength() == 0, undeliverable.GetRawText());
        Assert.Equal(("finished", 120, 0, 0), (view.GetProperty("state").GetString(), view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32(), view.GetProperty("held").GetInt32()));

        // The tenant sees the block: Microsoft refused 127.0.0.3 in disguise, with the replies that showed it.
        var block = Assert.Single((await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal(("microsoft", "127.0.0.3", "disguised"), (block.GetProperty("provider").GetString(), block.GetProperty("sourceIp").GetString(), block.GetProperty("kind").GetString()));
        Assert.NotEmpty(block.GetProperty("evidence").EnumerateArray());

        // Every reader's accepted delivery came from the clean IP (メールログ).
        foreach (var reader in readers.Where((_, i) => i % 10 == 0))
        {
            var log = await (await t.GetAsync($"/v1/magazines/news/subscribers/{reader}/log")).Json();
            var delivered = log.EnumerateArray().Where(e => e.GetProperty("result").GetString() == "delivered").ToList();
            Assert.Equal("127.0.0.2", Assert.Single(delivered).GetProperty("sourceIp").GetString());
        }
    }
}
