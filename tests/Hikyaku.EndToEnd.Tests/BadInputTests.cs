using System.Net;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Every refused request answers problem+json naming the problem, and leaves the store exactly as it was.</summary>
[Collection(SiloCollection.Name)]
public sealed class BadInputTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private string _tenantId = string.Empty;

    private async Task<HttpClient> Tenant()
    {
        _tenantId = "bad-" + Guid.NewGuid().ToString("N")[..8];
        return await fixture.Silo.CreateTenant(_tenantId, "news");
    }

    private async Task AssertNothingChanged(Func<Task> refusedRequests)
    {
        var before = StoreProbe.Count(fixture.DataDir);
        await refusedRequests();
        Assert.Equal(before, StoreProbe.Count(fixture.DataDir));
    }

    [Fact]
    public async Task Malformed_json_missing_fields_and_wrong_types_are_400_naming_the_field()
    {
        var t = await Tenant();
        await AssertNothingChanged(async () =>
        {
            await (await t.PostRaw("/v1/magazines", "{\"id\":\"m1\",")).AssertFieldProblem("body");
            await (await t.PostRaw("/v1/magazines", "{\"id\":\"m1\",\"name\":\"M\"}")).AssertFieldProblem("fromAddress");
            await (await t.PostRaw("/v1/magazines", "{\"id\":7,\"name\":\"M\",\"fromAddress\":\"a@example.jp\"}")).AssertFieldProblem("id");
            await (await t.PostRaw("/v1/magazines", "{\"id\":\"has space\",\"name\":\"M\",\"fromAddress\":\"a@example.jp\"}")).AssertFieldProblem("id");
            await (await t.PostRaw("/v1/magazines/news/subscribers", "{}")).AssertFieldProblem("email");
            await (await t.PostRaw("/v1/magazines/news/subscribers", "{\"email\":[\"a@example.jp\"]}")).AssertFieldProblem("email");
            await (await t.PostRaw("/v1/magazines/news/subscribers", "{\"email\":\"a@example.jp\",\"fields\":{\"age\":{}}}")).AssertFieldProblem("fields.age");
            await (await t.PostRaw("/v1/magazines/news/subscribers", "null")).AssertFieldProblem("body");
            await (await t.PostRaw("/v1/magazines/news/subscribers", "{\"email\":\"a@example.jp\"}", "text/plain")).AssertProblem(HttpStatusCode.UnsupportedMediaType);
        });
    }

    [Fact]
    public async Task Invalid_addresses_and_line_breaks_in_names_are_refused()
    {
        var t = await Tenant();
        await AssertNothingChanged(async () =>
        {
            await (await t.PostJson("/v1/magazines/news/subscribers", new { email = "not-an-address" })).AssertFieldProblem("email");
            await (await t.PostJson("/v1/magazines/news/subscribers", new { email = "a@example.jp\r\nBcc: x@example.jp" })).AssertFieldProblem("email");
            await (await t.PostJson("/v1/magazines/news/subscribers", new { email = "a@example.jp", name = "Taro\r\nBcc: x@example.jp" })).AssertFieldProblem("name");
            await (await t.PostJson("/v1/magazines", new { id = "m2", name = "M", fromAddress = "a@example.jp", fromName = "Shop\nBcc: x" })).AssertFieldProblem("fromName");
            await (await t.PostJson("/v1/magazines", new { id = "m2", name = "M\r\n", fromAddress = "nope" })).AssertFieldProblem("fromAddress");
            using var admin = fixture.Silo.AdminClient();
            await (await admin.PostJson("/v1/tenants", new { id = "t-x", name = "X\r\nY" })).AssertFieldProblem("name");
            await (await admin.PutAsync($"/v1/tenants/{_tenantId}/ips", new StringContent("{\"ips\":[\"127.0.0.300\"]}", Encoding.UTF8, "application/json"))).AssertProblem(HttpStatusCode.BadRequest);
        });
    }

    [Fact]
    public async Task A_csv_with_a_wrong_header_or_broken_quoting_is_refused_whole()
    {
        var t = await Tenant();
        await AssertNothingChanged(async () =>
        {
            var wrongHeader = await (await t.PostRaw("/v1/magazines/news/subscribers/import", "mail,name\na@example.jp,A\n", "text/csv")).AssertProblem(HttpStatusCode.BadRequest);
            Assert.Contains("email", wrongHeader.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);

            var broken = await (await t.PostRaw("/v1/magazines/news/subscribers/import", "email,name\na@example.jp,A\nb@example.jp,\"B\n", "text/csv")).AssertProblem(HttpStatusCode.BadRequest);
            Assert.Contains("line 3", broken.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);

            await (await t.PostRaw("/v1/magazines/news/subscribers/import", "[{\"email\":", "application/json")).AssertFieldProblem("body");
            await (await t.PostRaw("/v1/magazines/nope/subscribers/import", "email\na@example.jp\n", "text/csv")).AssertProblem(HttpStatusCode.NotFound);
        });
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var t = await Tenant();
        await AssertNothingChanged(async () =>
        {
            var huge = "{\"email\":\"a@example.jp\",\"name\":\"" + new string('x', 2 << 20) + "\"}";
            await (await t.PostRaw("/v1/magazines/news/subscribers", huge)).AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        });
    }

    [Fact]
    public async Task Adding_an_existing_address_is_409_and_leaves_the_reader_as_it_was()
    {
        var t = await Tenant();
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = "Taro@Example.jp", name = "Taro" })).StatusCode);
        await AssertNothingChanged(async () =>
            await (await t.PostJson("/v1/magazines/news/subscribers", new { email = "taro@example.jp", name = "Other" })).AssertProblem(HttpStatusCode.Conflict));

        var reader = await (await t.GetAsync("/v1/magazines/news/subscribers/taro@example.jp")).Json();
        Assert.Equal("Taro", reader.GetProperty("name").GetString());
    }
}
