using Hikyaku.Contracts.Model;

namespace Hikyaku.Silo.Api;

/// <summary>RFC 9457 problem+json answers, and the mapping of refused commands to them.</summary>
public static class Problems
{
    public static IResult From(CommandError error) => error.Kind switch
    {
        ErrorKind.Invalid => Invalid(error.Field ?? "body", error.Message),
        ErrorKind.NotFound => NotFound(error.Message),
        ErrorKind.Conflict => Results.Problem(
            title: "Conflict",
            detail: error.Message,
            statusCode: StatusCodes.Status409Conflict,
            extensions: error.Field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [error.Field] = [error.Message] } }),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "unknown error kind"),
    };

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")), title: "The request is invalid");

    public static IResult NotFound(string detail) => Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult TooLarge(long limit) =>
        Results.Problem(title: "Payload too large", detail: $"The body is larger than the limit of {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult UnsupportedMediaType(string expected) =>
        Results.Problem(title: "Unsupported media type", detail: $"Send the body as {expected}.", statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>415 for a body in a charset Hikyaku does not read; <paramref name="detail"/> names it.</summary>
    public static IResult UnsupportedCharset(string detail) =>
        Results.Problem(
            title: "Unsupported charset",
            detail: detail,
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["charset"] = [detail] } });

    /// <summary>Writes a problem outside an endpoint (authentication challenges).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
    }
}
