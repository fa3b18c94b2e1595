using System.Text.Json;
using System.Text.RegularExpressions;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json, as a newcomer (and /docs, which renders it) reads it.</summary>
[Collection(SiloCollection.Name)]
public sealed class OpenApiDocumentTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private static readonly string[] Areas = ["Admin", "Magazines", "Subscribers", "Broadcasts", "Settings", "Diagnosis", "Blocks", "Sandbox"];

    private async Task<JsonElement> Document()
    {
        using var http = fixture.Silo.Client();
        return await (await http.GetAsync("/openapi/v1.json")).Json();
    }

    private static IEnumerable<(string Name, JsonElement Operation)> V1Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()
                .Where(m => m.Value.ValueKind == JsonValueKind.Object && m.Name is "get" or "put" or "post" or "delete" or "patch")
                .Select(m => ($"{m.Name.ToUpperInvariant()} {p.Name}", m.Value)));

    [Fact]
    public async Task Every_v1_operation_requires_the_bearer_scheme_and_says_which_key()
    {
        var document = await Document();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var bearer = schemes.EnumerateObject().Single(s => s.Value.GetProperty("type").GetString() == "http");
        Assert.Equal("bearer", bearer.Value.GetProperty("scheme").GetString(), ignoreCase: true);

        var operations = V1Operations(document).ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, o =>
        {
            Assert.True(o.Operation.TryGetProperty("security", out var security), $"{o.Name} has no security requirement");
            Assert.Contains(security.EnumerateArray(), r => r.TryGetProperty(bearer.Name, out _));
            Assert.Matches("the admin key|a tenant's API key", o.Operation.GetProperty("description").GetString()!);
        });
        var createTenant = operations.Single(o => o.Name == "POST /v1/tenants").Operation;
        Assert.Contains("admin key", createTenant.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_v1_operation_has_a_summary_a_description_and_exactly_one_tag_of_its_area()
    {
        var document = await Document();
        Assert.All(V1Operations(document), o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{o.Name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("description", out var d) ? d.GetString() : null), $"{o.Name} has no description");
            var tags = o.Operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
            Assert.True(tags.Count == 1 && Areas.Contains(tags[0]), $"{o.Name} has tags [{string.Join(", ", tags)}]");
        });

        var documentTags = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.Equal(documentTags.Distinct().Order(), documentTags.Order());
        Assert.All(documentTags, t => Assert.Contains(t, Areas));
    }

    [Fact]
    public async Task Every_limit_parameter_is_documented_as_a_whole_number_from_1()
    {
        var document = await Document();
        var limits = V1Operations(document)
            .SelectMany(o => o.Operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().Select(p => (o.Name, Parameter: p)) : [])
            .Where(x => x.Parameter.GetProperty("name").GetString() == "limit")
            .ToList();
        Assert.Contains(limits, x => x.Name == "GET /v1/tenants");
        Assert.Contains(limits, x => x.Name == "GET /v1/magazines");
        Assert.All(limits, x =>
        {
            var schema = x.Parameter.GetProperty("schema");
            Assert.True(schema.GetProperty("type").GetRawText().Contains("integer", StringComparison.Ordinal), $"{x.Name}: limit is {schema}");
            Assert.Equal(1, schema.GetProperty("minimum").GetInt32());
        });
    }

    [Fact]
    public async Task The_dashboards_routes_are_not_in_the_document()
    {
        var document = await Document();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(paths, p => p.StartsWith("/dashboard", StringComparison.Ordinal));
        Assert.DoesNotContain("Hikyaku.Silo", document.GetProperty("tags").GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST /v1/magazines/{magazineId}/subscribers", "email", "name,fields")]
    [InlineData("POST /v1/magazines/{magazineId}/broadcasts", "subject,textBody", "htmlBody,sendAt")]
    [InlineData("POST /v1/magazines", "id,name,fromAddress", "fromName")]
    [InlineData("PUT /v1/settings/sending", "batchSize,batchInterval,autoResendMissed,cooldown", "relay")]
    [InlineData("PUT /v1/settings/dkim", "domain,selector", "privateKeyPem")]
    [InlineData("POST /v1/test-deliveries", "", "to,sourceIp,seeds,provider")]
    [InlineData("PUT /v1/settings/seed-addresses", "items", "")]
    public async Task Optional_request_fields_are_not_marked_required(string operation, string required, string optional)
    {
        var document = await Document();
        var (_, op) = V1Operations(document).Single(o => o.Name == operation);
        var schema = Resolve(document, op.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var marked = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        Assert.All(required.Split(',', StringSplitOptions.RemoveEmptyEntries), f => Assert.True(marked.Contains(f), $"{operation}: '{f}' should be required"));
        Assert.All(optional.Split(',', StringSplitOptions.RemoveEmptyEntries), f => Assert.False(marked.Contains(f), $"{operation}: '{f}' is optional but marked required"));
        Assert.All(optional.Split(',', StringSplitOptions.RemoveEmptyEntries), f => Assert.True(schema.GetProperty("properties").TryGetProperty(f, out _), $"{operation}: '{f}' is not described"));
    }

    [Fact]
    public async Task The_reference_pages_samples_carry_the_authorization_header()
    {
        using var http = fixture.Silo.Client();
        var html = await (await http.GetAsync("/docs/")).Content.ReadAsStringAsync();
        var config = Regex.Match(html, @"\{""authentication"".*\}(?=,\s*'')", RegexOptions.Singleline);
        Assert.True(config.Success, "the page configures no authentication");
        var authentication = JsonDocument.Parse(config.Value).RootElement.GetProperty("authentication");
        var scheme = Assert.Single(authentication.GetProperty("preferredSecurityScheme").EnumerateArray()).GetString()!;
        Assert.True(authentication.GetProperty("securitySchemes").GetProperty(scheme).TryGetProperty("token", out _));
        var document = await Document();
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty(scheme, out _), $"the page prefers '{scheme}', which the document does not define");
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
