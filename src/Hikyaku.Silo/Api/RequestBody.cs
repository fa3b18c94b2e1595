using System.Text.Json;
using Hikyaku.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Hikyaku.Silo.Api;

/// <summary>
/// Reads request bodies under an explicit size limit and turns every way they can be wrong into a
/// problem+json answer naming the field: malformed JSON, a wrong type (System.Text.Json reports the path),
/// a missing body, a body over the limit (413).
/// </summary>
public static class RequestBody
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public readonly record struct Read<T>(T? Value, IResult? Problem);

    public static async Task<Read<T>> ReadJsonAsync<T>(HttpContext context)
        where T : class
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<HikyakuOptions>>().Value.Api.MaxBodyBytes;
        if (!context.Request.HasJsonContentType())
        {
            return new(null, Problems.UnsupportedMediaType("application/json"));
        }

        var bytes = await ReadLimitedAsync(context, limit);
        if (bytes is null)
        {
            return new(null, Problems.TooLarge(limit));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, Json);
            return value is null ? new(null, Problems.Invalid("body", "a JSON object is required")) : new(value, null);
        }
        catch (JsonException e)
        {
            return new(null, Problems.Invalid(FieldOf(e.Path), e.Path is null or "$" ? "is not valid JSON" : "has the wrong type or is not valid JSON"));
        }
    }

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes; null when the body is larger, whether a Content-Length says so or
    /// a chunked body runs past it. Kestrel's own limit (<c>MaxRequestBodySize</c>, set just above the import limit)
    /// ends a chunked body by throwing <see cref="BadHttpRequestException"/> with 413: that is the same answer.
    /// </summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    /// <summary>"$.fields.age" → "fields.age"; "$" → "body".</summary>
    public static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
