using System.Net;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.Testing;
using Xunit.Abstractions;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// The bad-input sweep an outside tester runs, generated over every route the silo's OpenAPI document lists:
/// auth, cross-tenant ids, malformed JSON, wrong types, oversized sized and chunked bodies, CR/LF, invalid and
/// unusual addresses, path traversal, negative and huge numbers, bad durations, wrong content types and methods.
/// Every answer is below 500; every refusal is problem+json with a <c>detail</c> (naming the field where there
/// is one) and leaves the store exactly as it was.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class BadInputSweepTests(SmallLimitsSiloFixture fixture, ITestOutputHelper output) : IClassFixture<SmallLimitsSiloFixture>
{
    [Fact]
    public async Task Every_route_refuses_bad_input_with_a_problem_and_changes_nothing()
    {
        var world = await BuildWorld();
        using var anonymous = fixture.Silo.Client();
        var operations = await RouteCatalog.ReadAsync(anonymous);
        Assert.True(operations.Count >= 20, $"the OpenAPI document lists only {operations.Count} operations");

        var missing = operations.Where(o => o.HasJsonBody && o.Name != RouteCatalog.Import && RouteCatalog.ValidBody(o) is null).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, "the sweep has no valid body for: " + string.Join(", ", missing));

        // A method "not taken" by a path is one no route takes there: GET .../subscribers/import is the reader
        // named "import", not a wrong method on the import route.
        IReadOnlySet<string> MethodsAt(Operation op) => operations.Where(o => o.Matches(op.Template)).Select(o => o.Method).ToHashSet();
        var failures = new List<string>();
        var sent = new Dictionary<string, int>();
        foreach (var op in operations)
        {
            var isAdmin = !op.IsPublic && await IsAdminRoute(op);
            foreach (var bad in BadRequests.For(op, isAdmin, world, MethodsAt(op)))
            {
                sent[bad.Class] = sent.GetValueOrDefault(bad.Class) + 1;
                if (await Check(bad) is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }

        output.WriteLine($"{sent.Values.Sum()} requests over {operations.Count} operations: " + string.Join(", ", sent.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent.Values.Sum()} bad requests were answered wrongly (all of them in the output):\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>Sends one bad request and says what is wrong with its answer, or null.</summary>
    private async Task<string?> Check(BadRequest bad)
    {
        var before = StoreProbe.Count(fixture.DataDir);
        using var http = fixture.Silo.Client();
        http.Timeout = TimeSpan.FromSeconds(15);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(bad.Build());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{bad}: no answer ({e.GetType().Name}: {e.Message})";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                return $"{bad}: {status} {Cut(text)}";
            }

            if (bad.Expected.Count > 0 && !bad.Expected.Contains(response.StatusCode))
            {
                return $"{bad}: {status}, expected {string.Join(" or ", bad.Expected.Select(s => (int)s))} {Cut(text)}";
            }

            if (status < 400)
            {
                if (bad.Op.Method != "GET")
                {
                    await Quiet();
                }

                return null;
            }

            if (Problem(response, text, status, bad.Field) is { } notAProblem)
            {
                return $"{bad}: {status} {notAProblem}";
            }

            var after = StoreProbe.Count(fixture.DataDir);
            return after == before ? null : $"{bad}: refused with {status} but the store changed ({before} → {after}: {StoreProbe.Newest(fixture.DataDir, (int)(after.Events - before.Events))})";
        }
    }

    private static string? Problem(HttpResponseMessage response, string text, int status, string? field)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"is not problem+json ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}) {Cut(text)}";
        }

        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return $"is not JSON: {Cut(text)}";
        }

        if (!problem.TryGetProperty("status", out var s) || s.GetInt32() != status)
        {
            return $"has no status {status}: {Cut(text)}";
        }

        if (!problem.TryGetProperty("detail", out var detail) || string.IsNullOrWhiteSpace(detail.GetString()))
        {
            return $"has no detail: {Cut(text)}";
        }

        if (field is null)
        {
            return null;
        }

        var named = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            && errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase));
        return named || detail.GetString()!.Contains(field, StringComparison.OrdinalIgnoreCase) ? null : $"does not name '{field}': {Cut(text)}";
    }

    /// <summary>An admin route refuses a tenant's key before it looks at anything else.</summary>
    private async Task<bool> IsAdminRoute(Operation op)
    {
        using var tenant = fixture.Silo.Client(_keyA);
        using var response = await tenant.SendAsync(new HttpRequestMessage(new HttpMethod(op.Method), op.Path(_ => "zz-no-such-thing")));
        return response.StatusCode == HttpStatusCode.Forbidden;
    }

    /// <summary>Waits until an accepted request's background work (if any) has stopped writing to the store.</summary>
    private async Task Quiet()
    {
        var last = StoreProbe.Count(fixture.DataDir);
        var stable = 0;
        for (var i = 0; i < 100 && stable < 10; i++)
        {
            await Task.Delay(100);
            var now = StoreProbe.Count(fixture.DataDir);
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    private string _keyA = string.Empty;

    private async Task<SweepWorld> BuildWorld()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tenantA = "sweep-a-" + suffix;
        using var a = await fixture.Silo.CreateTenant(tenantA, "news");
        using var b = await fixture.Silo.CreateTenant("sweep-b-" + suffix, "bnews");
        _keyA = a.DefaultRequestHeaders.Authorization!.Parameter!;
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/v1/tenants/{tenantA}/ips", new StringContent("{\"ips\":[\"127.0.0.2\"]}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostJson("/v1/magazines/news/subscribers", new { email = "taro@example.jp", name = "Taro" })).StatusCode);
        var import = await (await a.PostRaw("/v1/magazines/news/subscribers/import", "email,name\nhanako@example.jp,Hanako\n", "text/csv")).Json();
        var importId = import.GetProperty("importId").GetString()!;
        await a.WaitImportFinished(importId);
        var broadcast = await (await a.PostJson("/v1/magazines/news/broadcasts", new { subject = "予約", textBody = "Later", sendAt = DateTimeOffset.UtcNow.AddDays(200) })).Json();
        var job = await (await a.PostJson("/v1/magazines/news/resend-missed", new { status = "active" })).Json();
        await Quiet();

        var values = new Dictionary<string, string>
        {
            ["tenantId"] = tenantA,
            ["magazineId"] = "news",
            ["email"] = "taro@example.jp",
            ["broadcastId"] = broadcast.GetProperty("id").GetString()!,
            ["importId"] = importId,
            ["jobId"] = job.GetProperty("jobId").GetString()!,
            ["ip"] = "127.0.0.2",
            ["domain"] = "example.jp",
            ["token"] = "not-a-token",
            ["blockId"] = "microsoft.1",
            ["provider"] = "microsoft",
            ["siteId"] = "microsoft",
        };
        return new SweepWorld(SiloProcess.AdminKey, _keyA, b.DefaultRequestHeaders.Authorization!.Parameter!, values, SmallLimitsSiloFixture.MaxBodyBytes, SmallLimitsSiloFixture.MaxImportBytes);
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
