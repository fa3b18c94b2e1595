using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Hikyaku.Silo.Hosting;

/// <summary>
/// Problem details for the refusals that no endpoint writes itself: a route that does not exist (404), a method a
/// route does not take (405), a body type it does not take (415). RFC 9457 asks for a <c>detail</c> a person can
/// act on, so each says what was asked and what would have worked.
/// </summary>
public static class ProblemDefaults
{
    public static IServiceCollection AddHikyakuProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
            c.ProblemDetails.Title ??= ReasonPhrases.GetReasonPhrase(status);
            c.ProblemDetails.Detail ??= DetailFor(status, c.HttpContext);
        });

    private static string DetailFor(int status, HttpContext http)
    {
        var request = $"{http.Request.Method} {http.Request.Path}";
        return status switch
        {
            StatusCodes.Status404NotFound => $"No route answers {request}: the routes are listed at /openapi/v1.json and /docs.",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow is { Count: > 0 } allow
                ? $"{http.Request.Path} does not take {http.Request.Method}; it takes {string.Join(", ", allow.ToArray())}."
                : $"{http.Request.Path} does not take {http.Request.Method}.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request} does not take a body of type '{http.Request.ContentType ?? "(none)"}': send application/json (an import also takes text/csv).",
            StatusCodes.Status413PayloadTooLarge => "The body is larger than this route's limit.",
            StatusCodes.Status400BadRequest => "The request could not be read: " + (http.Features.Get<IHttpResponseFeature>()?.ReasonPhrase ?? "it is malformed") + ".",
            _ => ReasonPhrases.GetReasonPhrase(status) + ".",
        };
    }
}
