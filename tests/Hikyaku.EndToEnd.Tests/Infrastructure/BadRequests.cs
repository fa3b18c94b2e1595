using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One bad request of the sweep and what must answer it: one of <see cref="Expected"/> (empty: any refusal or
/// success, never a 5xx), naming <see cref="Field"/> when one is given.
/// </summary>
public sealed record BadRequest(string Class, Operation Op, string What, Func<HttpRequestMessage> Build, IReadOnlyList<HttpStatusCode> Expected, string? Field = null)
{
    public override string ToString() => $"[{Class}] {Op.Name}: {What}";
}

/// <summary>The keys and ids a sweep calls with: tenant A's own, tenant B's key for cross-tenant calls.</summary>
public sealed record SweepWorld(string AdminKey, string KeyA, string KeyB, IReadOnlyDictionary<string, string> ValuesA, long MaxBodyBytes, long MaxImportBytes)
{
    public string Value(string parameter) =>
        ValuesA.TryGetValue(parameter, out var value) ? value : throw new Xunit.Sdk.XunitException($"the sweep has no value for path parameter '{{{parameter}}}': add one to its world");
}

/// <summary>Generates the bad-input classes an outside tester tries on every route.</summary>
public static class BadRequests
{
    private static readonly HttpStatusCode[] Any = [];
    private static readonly HttpStatusCode[] NotFoundOrInvalid = [HttpStatusCode.NotFound, HttpStatusCode.BadRequest];

    /// <summary>Path parameter values that try to leave the route or break the key.</summary>
    /// <remarks>
    /// Not here: a bare <c>..</c> (the client resolves dot segments before sending, RFC 3986 §5.2.4, so it asks for
    /// another route) and <c>%00</c> (Kestrel refuses a NUL in the request target with a bare 400 before any
    /// application code runs).
    /// </remarks>
    private static readonly string[] Traversals =
    [
        "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e", "..%5C..%5Cwindows", "%252e%252e%252f", "a%0D%0ABcc:x", "%F0%9F%93%A7", new string('x', 3000), "%E3%81%82%E3%81%84", "%25",
    ];

    private static readonly string[] BadAddresses = ["not-an-address", "a@b", "a@@example.jp", "@example.jp", "a@example.jp\r\nBcc: x@example.jp", "a b@example.jp", "a@-x-.jp", "a@example..jp", "a@127.0.0.1"];

    private static readonly string[] BadDurations = ["P", "1 day", "PT-5S", "-P1D", "P99999999D", "PTS", "PT1.5.5S"];

    private static readonly string[] BadLimits = ["-1", "0", "abc", "99999999999999999999", "1e3", "2147483648"];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    public static IEnumerable<BadRequest> For(Operation op, bool isAdmin, SweepWorld w, IReadOnlySet<string> methodsOfPath)
    {
        var key = isAdmin ? w.AdminKey : w.KeyA;
        var path = op.Path(w.Value);
        var body = RouteCatalog.ValidBody(op);
        Func<HttpRequestMessage> Request(string p, string? bearer, Func<HttpContent>? content = null, string? method = null) =>
            () => new HttpRequestMessage(new HttpMethod(method ?? op.Method), p) { Headers = { Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer) }, Content = content?.Invoke() };
        Func<HttpRequestMessage> WithBody(string? bearer, Func<HttpContent>? content) => Request(path, bearer, content);
        HttpContent Json(string text, string type = "application/json") => new StringContent(text, Encoding.UTF8, type);
        string Valid() => body?.ToJsonString() ?? "{}";
        var valid = RouteCatalog.ValidContent(op);

        if (!op.IsPublic)
        {
            yield return new("auth", op, "no Authorization header", WithBody(null, valid), [HttpStatusCode.Unauthorized]);
            yield return new("auth", op, "an unknown key", WithBody("hk.nobody.0000000000000000", valid), [HttpStatusCode.Unauthorized]);
            yield return new("auth", op, "a Basic header", () => { var r = Request(path, null, valid)(); r.Headers.Authorization = new("Basic", "YWRtaW46eA=="); return r; }, [HttpStatusCode.Unauthorized]);
            yield return isAdmin
                ? new("auth", op, "a tenant's key on an admin route", WithBody(w.KeyA, valid), [HttpStatusCode.Forbidden])
                : op.IsTenantOrAdmin
                    // The admin key sees every tenant's blocks: the list answers, a block that does not exist is 404.
                    ? new("auth", op, "the admin key on a tenant-or-admin route", WithBody(w.AdminKey, valid), op.PathParameters.Count == 0 ? [HttpStatusCode.OK] : [HttpStatusCode.NotFound])
                    : new("auth", op, "the admin key on a tenant route", WithBody(w.AdminKey, valid), [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden]);
        }

        if (!isAdmin && !op.IsPublic && op.PathParameters.Any(p => p is "magazineId" or "broadcastId" or "importId" or "email" or "id" or "blockId" or "jobId"))
        {
            yield return new("cross-tenant", op, "tenant B's key on tenant A's ids", WithBody(w.KeyB, valid), [HttpStatusCode.NotFound]);
        }

        foreach (var parameter in op.PathParameters)
        {
            foreach (var bad in Traversals)
            {
                yield return new("path", op, $"{{{parameter}}} = {Short(bad)}", Request(op.Path(p => p == parameter ? bad : w.Value(p)), key, valid), NotFoundOrInvalid);
            }

            if (parameter == "email")
            {
                foreach (var bad in BadAddresses.Where(a => !a.Contains('\n')))
                {
                    yield return new("address", op, $"{{email}} = {bad}", Request(op.Path(p => p == parameter ? Uri.EscapeDataString(bad) : w.Value(p)), key, valid), NotFoundOrInvalid);
                }
            }
        }

        foreach (var query in op.QueryParameters.Where(q => q == "limit"))
        {
            foreach (var bad in BadLimits)
            {
                yield return new("numbers", op, $"?limit={bad}", Request($"{path}?limit={bad}", key), [HttpStatusCode.BadRequest], "limit");
            }
        }

        foreach (var method in Methods.Where(m => !methodsOfPath.Contains(m)))
        {
            yield return new("method", op, $"{method} on a path that does not take it", Request(path, key, method is "POST" or "PUT" or "PATCH" ? () => Json(Valid()) : null, method), [HttpStatusCode.MethodNotAllowed]);
        }

        if (op.Name == RouteCatalog.Import)
        {
            var limit = (int)w.MaxImportBytes + 1024;
            string Csv() => "email,name\n" + string.Concat(Enumerable.Range(0, limit / 40 + 1).Select(i => $"reader{i:D8}@example.jp,Reader {i:D8}\n"));
            yield return new("size", op, "a sized CSV over the import limit", WithBody(key, () => new StringContent(Csv(), Encoding.UTF8, "text/csv")), [HttpStatusCode.RequestEntityTooLarge]);
            yield return new("size", op, "a chunked CSV over the import limit", WithBody(key, () => Chunked.Of(Encoding.UTF8.GetBytes(Csv()), "text/csv")), [HttpStatusCode.RequestEntityTooLarge]);
            foreach (var type in new[] { "application/xml", "text/plain", "application/octet-stream" })
            {
                yield return new("content-type", op, type, WithBody(key, () => new StringContent("email\nz@example.jp\n", Encoding.UTF8, type)), [HttpStatusCode.UnsupportedMediaType]);
            }

            foreach (var json in new[] { "[{\"email\":", "{\"email\":\"a@example.jp\"}", "\"a@example.jp\"", "" })
            {
                yield return new("json", op, $"JSON import {Short(json)}", WithBody(key, () => new StringContent(json, Encoding.UTF8, "application/json")), [HttpStatusCode.BadRequest]);
            }

            // A well-formed array whose items are not readers is taken like a CSV with bad rows: each is a rejection
            // in the import's report, never a failure of the service.
            foreach (var json in new[] { "[1,2]", "[[\"a@example.jp\"]]", "[{\"email\":5}]" })
            {
                yield return new("json", op, $"JSON import {json}", WithBody(key, () => new StringContent(json, Encoding.UTF8, "application/json")), Any);
            }

            yield return new("encoding", op, "a CSV declared as EBCDIC", WithBody(key, () => new ByteArrayContent("email\nz@example.jp\n"u8.ToArray()) { Headers = { ContentType = MediaTypeHeaderValue.Parse("text/csv; charset=ibm037") } }), [HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType]);
        }

        if (body is null)
        {
            yield break;
        }

        foreach (var v in BodyVariants(body, w.MaxBodyBytes))
        {
            yield return new(v.Class, op, v.What, WithBody(key, v.Content), v.Expected, v.Field);
        }
    }

    private sealed record BodyVariant(string Class, string What, Func<HttpContent> Content, HttpStatusCode[] Expected, string? Field = null);

    private static IEnumerable<BodyVariant> BodyVariants(JsonNode body, long maxBodyBytes)
    {
        // An array body is a list of items: each variant changes its first item, and the field is named as the API names it.
        var prefix = body is JsonArray ? "[0]." : string.Empty;
        var fields = body is JsonArray list ? list[0]!.AsObject() : body.AsObject();
        Func<HttpContent> Text(string text, string type = "application/json") =>
            () => new StringContent(text, Encoding.UTF8) { Headers = { ContentType = MediaTypeHeaderValue.Parse(type.Contains(';') ? type : type + "; charset=utf-8") } };
        Func<HttpContent> With(string field, JsonNode? value) => Text(Changed(body, field, value).ToJsonString());

        // An empty list is a valid list (a sequence with no stories), not malformed.
        foreach (var malformed in new[] { "{\"id\":", "{'id':'x'}", "", "nul", "{\"a\":1}}", "[", "\"just a string\"", "42", "[]", "null" }.Where(m => !(body is JsonArray && m == "[]")))
        {
            yield return new("json", $"body {Short(malformed)}", Text(malformed), [HttpStatusCode.BadRequest]);
        }

        foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
        {
            yield return new("content-type", type, Text(body.ToJsonString(), type), [HttpStatusCode.UnsupportedMediaType]);
        }

        var padding = new string('x', (int)maxBodyBytes + 1024);
        yield return new("size", "a sized body over the limit", Text(Changed(body, "padding", padding).ToJsonString()), [HttpStatusCode.RequestEntityTooLarge]);
        yield return new("size", "a chunked body over the limit",
            () => Chunked.Of(Encoding.UTF8.GetBytes(Changed(body, "padding", padding).ToJsonString())), [HttpStatusCode.RequestEntityTooLarge]);

        foreach (var (field, value) in fields.ToList())
        {
            var kind = RouteCatalog.Kind(value);
            foreach (var wrong in WrongTypes(kind))
            {
                yield return new("types", $"{field} = {Short(wrong?.ToJsonString() ?? "null")}", With(field, wrong), [HttpStatusCode.BadRequest], prefix + field);
            }

            if (kind == System.Text.Json.JsonValueKind.Number)
            {
                foreach (var number in new[] { "-1", "99999999999999999999", "1e30", "1.5", "-2147483649" })
                {
                    yield return new("numbers", $"{field} = {number}", With(field, JsonNode.Parse(number)), [HttpStatusCode.BadRequest], prefix + field);
                }
            }

            if (RouteCatalog.IsDuration(value))
            {
                foreach (var duration in BadDurations)
                {
                    yield return new("durations", $"{field} = {duration}", With(field, duration), [HttpStatusCode.BadRequest], prefix + field);
                }
            }

            if (RouteCatalog.AddressFields.Contains(field))
            {
                foreach (var address in BadAddresses)
                {
                    yield return new("address", $"{field} = {Short(address)}", With(field, kind == System.Text.Json.JsonValueKind.Array ? new JsonArray(address) : address), [HttpStatusCode.BadRequest], prefix + field);
                }
            }

            if (kind == System.Text.Json.JsonValueKind.String)
            {
                var refused = RouteCatalog.LineBreakRefused.Contains(field);
                yield return new("crlf", $"{field} with CR/LF", With(field, value!.GetValue<string>() + "\r\nBcc: x@example.jp"), refused ? [HttpStatusCode.BadRequest] : Any, refused ? prefix + field : null);
                yield return new("unicode", $"{field} with a lone surrogate and NUL", Text(Changed(body, field, "x").ToJsonString().Replace("\"x\"", "\"\\ud800\\u0000\"", StringComparison.Ordinal)), Any);
            }
        }
    }

    private static IEnumerable<JsonNode?> WrongTypes(System.Text.Json.JsonValueKind kind) => kind switch
    {
        System.Text.Json.JsonValueKind.String => [new JsonObject { ["x"] = 1 }, new JsonArray(1, 2), 12],
        System.Text.Json.JsonValueKind.Number => ["five", new JsonObject(), true],
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => ["yes", 3],
        System.Text.Json.JsonValueKind.Array => ["x", new JsonObject(), 7],
        System.Text.Json.JsonValueKind.Object => ["x", 7, new JsonArray()],
        _ => [],
    };

    /// <summary>The body with <paramref name="field"/> set to <paramref name="value"/>: in the object, or in an array's first item.</summary>
    private static JsonNode Changed(JsonNode body, string field, JsonNode? value)
    {
        var copy = body.DeepClone();
        var item = copy is JsonArray items ? items[0]!.AsObject() : copy.AsObject();
        item[field] = value?.DeepClone();
        return copy;
    }

    private static string Short(string text) => text.Length > 40 ? text[..37] + "..." : text.Replace("\r", "\\r").Replace("\n", "\\n");

    /// <summary>JSON sent with <c>Transfer-Encoding: chunked</c> (no Content-Length), as a streaming client would.</summary>
    private sealed class Chunked(byte[] bytes) : HttpContent
    {
        private byte[] Bytes { get; } = bytes;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < Bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(Bytes.AsMemory(offset, Math.Min(64 * 1024, Bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        public static Chunked Of(byte[] bytes, string mediaType = "application/json")
        {
            var content = new Chunked(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
            return content;
        }
    }
}
