using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>One operation of the HTTP API as the silo's own OpenAPI document lists it.</summary>
public sealed record Operation(string Method, string Template, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters, bool HasJsonBody)
{
    public string Name => $"{Method} {Template}";

    /// <summary>Routes anyone may call (the one-click unsubscribe link a reader's mail client posts to).</summary>
    public bool IsPublic => Template.StartsWith("/u/", StringComparison.Ordinal);

    /// <summary>Routes a tenant key (its own) and the admin key (every tenant's) may both call: blocks.</summary>
    public bool IsTenantOrAdmin => Template.StartsWith("/v1/blocks", StringComparison.Ordinal);

    /// <summary>Whether this operation's template also matches <paramref name="template"/>'s path (a parameter matches any segment).</summary>
    public bool Matches(string template)
    {
        var mine = Template.Split('/');
        var theirs = template.Split('/');
        return mine.Length == theirs.Length && mine.Zip(theirs).All(p => p.First == p.Second || p.First.StartsWith('{'));
    }

    /// <summary>The path with each parameter replaced by <paramref name="value"/>'s answer for it.</summary>
    public string Path(Func<string, string> value)
    {
        var path = Template;
        foreach (var name in PathParameters)
        {
            path = path.Replace("{" + name + "}", value(name), StringComparison.Ordinal);
        }

        return path;
    }
}

/// <summary>
/// Reads every operation from <c>/openapi/v1.json</c>, so a sweep over "every route" covers a route the day it is
/// added, and holds what a sweep needs to call each one validly: a value per path parameter and a valid body per
/// operation that takes JSON. A route whose parameter or body is unknown here fails the sweep, naming what to add.
/// </summary>
public static class RouteCatalog
{
    public static async Task<IReadOnlyList<Operation>> ReadAsync(HttpClient anonymous)
    {
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var operations = new List<Operation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            if (!template.StartsWith("/v1/", StringComparison.Ordinal) && !template.StartsWith("/u/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (method, op) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" || op is not JsonObject)
                {
                    continue;
                }

                var parameters = (op["parameters"] as JsonArray ?? []).Concat(item["parameters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var content = op["requestBody"]?["content"] as JsonObject;
                operations.Add(new Operation(
                    method.ToUpperInvariant(),
                    template,
                    Names(parameters, "path", template),
                    Names(parameters, "query", null),
                    content?.ContainsKey("application/json") == true));
            }
        }

        return operations;
    }

    private static List<string> Names(List<JsonObject> parameters, string location, string? template)
    {
        var names = parameters.Where(p => (string?)p["in"] == location).Select(p => (string)p["name"]!).Distinct().ToList();
        if (template is not null)
        {
            // A template's own braces are the truth even where a parameter is not described.
            foreach (var segment in template.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')))
            {
                var name = segment[1..^1].TrimEnd('?');
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// A valid body per operation that takes JSON: the base each bad variant changes one thing of. An array body (a
    /// step sequence) has its variants made on its first item, named <c>[0].field</c>.
    /// </summary>
    /// <remarks>
    /// Accepted variants must not start background work that writes to the store (it would blur "nothing
    /// changed"), so the broadcast is scheduled months ahead and test deliveries write no history.
    /// </remarks>
    public static JsonNode? ValidBody(Operation op) => op.Name switch
    {
        "POST /v1/tenants" => new JsonObject { ["id"] = "sweep-new", ["name"] = "New tenant" },
        "PUT /v1/tenants/{tenantId}/ips" => new JsonObject { ["ips"] = new JsonArray("127.0.0.2") },
        "POST /v1/ips/{ip}/warmup" => new JsonObject { ["day"] = 0, ["provider"] = "microsoft" },
        "POST /v1/magazines" => new JsonObject { ["id"] = "sweep-new", ["name"] = "Sweep", ["fromAddress"] = "news@sweep.example", ["fromName"] = "Sweep" },
        "PUT /v1/magazines/{magazineId}" => new JsonObject { ["name"] = "Sweep news", ["fromAddress"] = "news@sweep.example", ["fromName"] = "Sweep", ["catchUp"] = "latest-only" },
        "PUT /v1/magazines/{magazineId}/steps" => new JsonArray(
            new JsonObject { ["id"] = "welcome", ["after"] = "PT30S", ["subject"] = "ようこそ", ["textBody"] = "Welcome", ["htmlBody"] = "<p>Welcome</p>", ["backfill"] = false },
            new JsonObject { ["id"] = "day1", ["after"] = "P1D", ["subject"] = "Day one", ["textBody"] = "Day one" }),
        "POST /v1/magazines/{magazineId}/resend-missed" => new JsonObject { ["status"] = "active", ["provider"] = "microsoft", ["blockId"] = "microsoft.1" },
        "POST /v1/magazines/{magazineId}/subscribers" => new JsonObject { ["email"] = "new@example.jp", ["name"] = "New", ["fields"] = new JsonObject { ["plan"] = "gold" } },
        "POST /v1/magazines/{magazineId}/broadcasts" => new JsonObject()
        {
            ["subject"] = "号外", ["textBody"] = "Hello", ["htmlBody"] = "<p>Hello</p>", ["sendAt"] = DateTimeOffset.UtcNow.AddDays(200).ToString("O"),
        },
        "PUT /v1/settings/sending" => new JsonObject()
        {
            ["batchSize"] = 500, ["batchInterval"] = "PT30S", ["autoResendMissed"] = true, ["cooldown"] = "P1D", ["relay"] = null,
        },
        "PUT /v1/settings/dkim" => new JsonObject { ["domain"] = "sweep.example", ["selector"] = "hk1" },
        "PUT /v1/settings/seed-addresses" => new JsonObject { ["items"] = new JsonArray(new JsonObject { ["provider"] = "microsoft", ["address"] = "seed@hotmail.com" }) },
        "POST /v1/test-deliveries" => new JsonObject { ["to"] = new JsonArray("seed@example.jp"), ["sourceIp"] = "127.0.0.2" },
        "POST /v1/blocks/{blockId}/extend" => new JsonObject { ["until"] = DateTimeOffset.UtcNow.AddDays(2).ToString("O") },
        // An address no tenant sends from, for a second: the simulated provider's block changes nothing stored.
        "POST /v1/sandbox/blocks" => new JsonObject { ["provider"] = "microsoft", ["ip"] = "127.0.0.254", ["mode"] = "disguised", ["seconds"] = 1 },
        _ => null,
    };

    public const string Import = "POST /v1/magazines/{magazineId}/subscribers/import";

    /// <summary>A valid body for the operation as its content type wants it, or none for a route without one.</summary>
    public static Func<HttpContent>? ValidContent(Operation op)
    {
        if (op.Name == Import)
        {
            return () => new StringContent("email,name\nsweep@example.jp,Sweep\n", System.Text.Encoding.UTF8, "text/csv");
        }

        return ValidBody(op) is { } body ? () => new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") : null;
    }

    /// <summary>Field names that go into a mail header or an identifier: a line break in them must be refused.</summary>
    public static readonly IReadOnlySet<string> LineBreakRefused = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "name", "fromAddress", "fromName", "email", "subject", "domain", "selector", "sourceIp",
    };

    /// <summary>Fields that hold a mail address (or a list of them).</summary>
    public static readonly IReadOnlySet<string> AddressFields = new HashSet<string>(StringComparer.Ordinal) { "email", "fromAddress", "to" };

    public static bool IsDuration(JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || !text.StartsWith('P'))
        {
            return false;
        }

        try
        {
            return System.Xml.XmlConvert.ToTimeSpan(text) >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;
}
