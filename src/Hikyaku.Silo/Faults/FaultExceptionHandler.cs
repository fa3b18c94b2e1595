using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace Hikyaku.Silo.Faults;

/// <summary>
/// The one place where an exception becomes an answer. A part of the system that is unavailable for now (see
/// <see cref="Unavailability.Of"/>) answers 503 problem+json with <c>Retry-After</c> and a detail naming it; anything
/// else is a bug and answers 500 problem+json. Neither carries a stack trace. Exceptions thrown while authenticating
/// (the tenant key is checked by the tenant's grain) come through here as well.
/// </summary>
public sealed class FaultExceptionHandler(FaultAnswers answers, EventStoreCheck store, ILogger<FaultExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        if (Unavailability.Of(exception) is { } unavailable)
        {
            if (Unavailability.Find<ApiDeadlineExceededException>(exception) is { } missed && !await store.AnswersAsync())
            {
                unavailable = Unavailability.StoreSilent(missed, store.Backend);
            }

            FaultLog.Unavailable(logger, context.Request.Method, context.Request.Path, unavailable.Component, exception.GetType().Name, exception.Message);
            await answers.Unavailable(context, unavailable);
            return true;
        }

        FaultLog.Unexpected(logger, context.Request.Method, context.Request.Path, exception);
        await answers.Unexpected(context);
        return true;
    }
}

/// <summary>The problem+json answers of <see cref="FaultExceptionHandler"/>.</summary>
public sealed class FaultAnswers(TimeSpan retryAfter)
{
    public Task Unavailable(HttpContext context, Unavailability unavailable)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers[HeaderNames.RetryAfter] = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(
            title: "Service unavailable",
            detail: $"{unavailable.Detail} Retry in {retryAfter.TotalSeconds:0} s.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["unavailable"] = unavailable.Component }).ExecuteAsync(context);
    }

    public Task Unexpected(HttpContext context)
    {
        context.Response.Clear();
        return Results.Problem(
            title: "Internal server error",
            detail: "The request failed on an unexpected error; it is logged with this answer's traceId.",
            statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(context);
    }
}

internal static partial class FaultLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the {Component} is unavailable ({ExceptionType}: {Reason})")]
    public static partial void Unavailable(ILogger logger, string method, string path, string component, string exceptionType, string reason);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "{Method} {Path} answered 500 on an unexpected exception")]
    public static partial void Unexpected(ILogger logger, string method, string path, Exception exception);
}
