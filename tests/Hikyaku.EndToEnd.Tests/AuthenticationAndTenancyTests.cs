using System.Net.Http.Json;
using System.Text.Json;
using System.Net;
using System.Net.Http.Headers;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class AuthenticationAndTenancyTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task Another_tenants_magazine_and_reader_answer_404_exactly_like_missing_ones()
    {
        var a = await fixture.Silo.CreateTenant("tenant-a", "news");
        var b = await fixture.Silo.CreateTenant("tenant-b", "secret");
        Assert.Equal(HttpStatusCode.Created, (await b.PostJson("/v1/magazines/secret/subscribers", new { email = "vip@example.jp" })).StatusCode);

        var theirs = await (await a.GetAsync("/v1/magazines/secret")).AssertProblem(HttpStatusCode.NotFound);
        var missing = await (await a.GetAsync("/v1/magazines/no-such")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(missing.GetProperty("title").GetString(), theirs.GetProperty("title").GetString());

        await (await a.GetAsync("/v1/magazines/secret/subscribers/vip@example.jp")).AssertProblem(HttpStatusCode.NotFound);
        await (await a.GetAsync("/v1/magazines/secret/subscribers/vip@example.jp/history")).AssertProblem(HttpStatusCode.NotFound);
        await (await a.DeleteAsync("/v1/magazines/secret/subscribers/vip@example.jp")).AssertProblem(HttpStatusCode.NotFound);
        await (await a.PostJson("/v1/magazines/secret/subscribers", new { email = "intruder@example.jp" })).AssertProblem(HttpStatusCode.NotFound);

        // B's reader is untouched and B still sees exactly one reader.
        var reader = await (await b.GetAsync("/v1/magazines/secret/subscribers/vip@example.jp")).Json();
        Assert.Equal("active", reader.GetProperty("status").GetString());
        var counts = (await (await b.GetAsync("/v1/magazines/secret")).Json()).GetProperty("subscriberCounts");
        Assert.Equal(1, counts.GetProperty("active").GetInt32());
    }

    [Fact]
    public async Task No_key_or_a_wrong_key_is_401_and_a_tenant_key_on_an_admin_route_is_403()
    {
        var tenant = await fixture.Silo.CreateTenant("tenant-c");
        using var anonymous = fixture.Silo.Client();
        await (await anonymous.GetAsync("/v1/magazines/news")).AssertProblem(HttpStatusCode.Unauthorized);
        await (await anonymous.PostJson("/v1/tenants", new { id = "x", name = "x" })).AssertProblem(HttpStatusCode.Unauthorized);

        using var wrong = fixture.Silo.Client("hk.tenant-c.not-the-secret");
        await (await wrong.GetAsync("/v1/magazines/news")).AssertProblem(HttpStatusCode.Unauthorized);

        await (await tenant.PostJson("/v1/tenants", new { id = "y", name = "y" })).AssertProblem(HttpStatusCode.Forbidden);
        await (await tenant.GetAsync("/v1/ips/127.0.0.2")).AssertProblem(HttpStatusCode.Forbidden);
        using var admin = fixture.Silo.AdminClient();
        await (await admin.GetAsync("/v1/tenants/y")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_api_key_is_shown_once_and_a_tenant_id_cannot_be_taken_twice()
    {
        using var admin = fixture.Silo.AdminClient();
        var first = await admin.PostJson("/v1/tenants", new { id = "tenant-d", name = "D" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await (await admin.PostJson("/v1/tenants", new { id = "tenant-d", name = "D again" })).AssertProblem(HttpStatusCode.Conflict);

        var view = await (await admin.GetAsync("/v1/tenants/tenant-d")).Json();
        Assert.Equal("D", view.GetProperty("name").GetString());
        Assert.False(view.TryGetProperty("apiKey", out _));
        Assert.DoesNotContain("hk.tenant-d.", view.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ip_belongs_to_one_tenant_and_a_refused_pool_change_changes_nothing()
    {
        await fixture.Silo.CreateTenant("ip-a");
        await fixture.Silo.CreateTenant("ip-b");
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/ip-a/ips", new { ips = new[] { "127.0.0.2", "127.0.0.3" } })).StatusCode);

        var refused = await admin.PutAsJsonAsync("/v1/tenants/ip-b/ips", new { ips = new[] { "127.0.0.4", "127.0.0.3" } });
        var problem = await refused.AssertProblem(HttpStatusCode.Conflict);
        Assert.True(problem.GetProperty("errors").TryGetProperty("ips[1]", out _));

        // 127.0.0.4 was not kept by the refused request, and ip-a still owns its two.
        Assert.Equal(JsonValueKind.Null, (await (await admin.GetAsync("/v1/ips/127.0.0.4")).Json()).GetProperty("tenantId").ValueKind);
        Assert.Equal("ip-a", (await (await admin.GetAsync("/v1/ips/127.0.0.3")).Json()).GetProperty("tenantId").GetString());
        var b = await (await admin.GetAsync("/v1/tenants/ip-b")).Json();
        Assert.Equal(0, b.GetProperty("ips").GetArrayLength());

        // Giving an IP up frees it for another tenant.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/ip-a/ips", new { ips = new[] { "127.0.0.2" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/ip-b/ips", new { ips = new[] { "127.0.0.3" } })).StatusCode);
        Assert.Equal("ip-b", (await (await admin.GetAsync("/v1/ips/127.0.0.3")).Json()).GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task The_dashboard_needs_the_admin_key_over_basic_auth()
    {
        using var anonymous = fixture.Silo.Client();
        var denied = await anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Contains("Basic", denied.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:test-admin-key-0123456789"u8.ToArray()));
        var page = await anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
