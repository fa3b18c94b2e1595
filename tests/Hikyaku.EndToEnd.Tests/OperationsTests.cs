using System.Net;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class OperationsTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task Health_endpoints_answer_without_a_key()
    {
        using var http = fixture.Silo.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_fixed_routes()
    {
        using var http = fixture.Silo.Client();
        var doc = await (await http.GetAsync("/openapi/v1.json")).Json();
        var paths = doc.GetProperty("paths");
        foreach (var route in new[]
                 {
                     "/v1/tenants", "/v1/tenants/{tenantId}/ips", "/v1/ips/{ip}", "/v1/magazines", "/v1/magazines/{magazineId}",
                     "/v1/magazines/{magazineId}/subscribers", "/v1/magazines/{magazineId}/subscribers/import", "/v1/imports/{importId}",
                     "/v1/magazines/{magazineId}/subscribers/{email}", "/v1/magazines/{magazineId}/subscribers/{email}/restore",
                     "/v1/magazines/{magazineId}/subscribers/{email}/history", "/v1/magazines/{magazineId}/undeliverable",
                 })
        {
            Assert.True(paths.TryGetProperty(route, out _), $"the OpenAPI document lacks {route}");
        }
    }

    [Fact]
    public async Task The_api_reference_page_is_served_with_its_script_from_the_silo_itself()
    {
        using var http = fixture.Silo.Client();
        var page = await http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"([^\"]*scalar[^\"]*\\.js)\"");
        Assert.True(script.Success, "the page does not load Scalar's script");
        Assert.False(script.Groups[1].Value.StartsWith("http", StringComparison.Ordinal), $"the script comes from elsewhere: {script.Groups[1].Value}");
        var js = await http.GetAsync(new Uri(new Uri(fixture.Silo.BaseAddress, "/docs/"), script.Groups[1].Value));
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
    }
}
