using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>Small helpers for talking to the HTTP API as a client would.</summary>
public static class Api
{
    public static async Task<HttpResponseMessage> PostJson(this HttpClient http, string path, object body) =>
        await http.PostAsJsonAsync(path, body);

    public static async Task<HttpResponseMessage> PostRaw(this HttpClient http, string path, string body, string contentType = "application/json") =>
        await http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>The silo a diagnostics route names (<c>/v1/diagnostics/silo</c>, <c>.../magazines/{t}/{m}/silo</c>...), asked with an admin key.</summary>
    public static async Task<string?> Silo(this HttpClient admin, string path) =>
        (await (await admin.GetAsync(path)).Json()).GetProperty("silo").GetString();

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and that the answer is problem+json; returns the problem.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static async Task AssertFieldProblem(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
            $"expected a problem naming '{field}', got {problem}");
    }

    /// <summary>Creates a tenant with a magazine and returns a client with the tenant's key.</summary>
    public static async Task<HttpClient> CreateTenant(this Testing.SiloProcess silo, string tenantId, params string[] magazines)
    {
        using var admin = silo.AdminClient();
        var created = await admin.PostJson("/v1/tenants", new { id = tenantId, name = $"Tenant {tenantId}" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Json()).GetProperty("apiKey").GetString()!;
        var client = silo.Client(key);
        foreach (var magazine in magazines)
        {
            var m = await client.PostJson("/v1/magazines", new { id = magazine, name = magazine, fromAddress = $"{magazine}@{tenantId}.example" });
            Assert.Equal(HttpStatusCode.Created, m.StatusCode);
        }

        return client;
    }

    /// <summary>Polls an import until it finishes and returns its last progress.</summary>
    public static async Task<JsonElement> WaitImportFinished(this HttpClient tenant, string importId)
    {
        for (var i = 0; i < 600; i++)
        {
            // The import grain may be busy with a chunk for longer than the API deadline on a crowded machine: 503, ask again.
            using var response = await tenant.GetAsync($"/v1/imports/{importId}");
            var progress = await response.Json();
            if (response.StatusCode == HttpStatusCode.OK && progress.GetProperty("state").GetString() == "finished")
            {
                return progress;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"import {importId} did not finish");
    }
}
