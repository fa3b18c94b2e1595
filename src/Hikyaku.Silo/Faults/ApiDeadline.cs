namespace Hikyaku.Silo.Faults;

/// <summary>
/// The deadline of the grain calls an HTTP request makes. Each call the API makes (the authentication handler's
/// included) gets <see cref="Limit"/> to answer, or the request answers 503; the grains' own calls to each other
/// (delivery, imports, broadcasts) keep Orleans' response timeout, so long work inside the cluster is never cut short
/// by a client's deadline.
/// </summary>
/// <remarks>
/// Orleans answers a call to a grain whose activation waits for the event store, or that sits behind a write the store
/// does not take, only after its 30 s response timeout: the journaled grains retry their reads and writes until the
/// store answers (Orleans.EventSourcing CustomStorage/LogViewAdaptor.cs, and EventSourcedGrain.ApplyUpdatesToStorage).
/// The deadline is per call, not per request, so an import that reads a 64 MiB body and then hands it to its grain in
/// many calls keeps working: each of those calls is bounded, the upload is not.
/// </remarks>
public static class ApiDeadline
{
    private static readonly AsyncLocal<TimeSpan?> Current = new();

    /// <summary>The per-call limit of the HTTP request running on this flow, or null outside requests.</summary>
    public static TimeSpan? Limit => Current.Value;

    /// <summary>
    /// Marks every request: from here on its grain calls are bounded by <paramref name="limit"/>, or by the endpoint's
    /// own <see cref="ApiDeadlineMetadata"/>. Put it after routing (implicit in a <c>WebApplication</c>) and before
    /// authentication.
    /// </summary>
    public static IApplicationBuilder UseApiDeadline(this IApplicationBuilder app, TimeSpan limit) =>
        app.Use((context, next) => RunAsync(context, next, limit));

    /// <summary>
    /// Gives the grain calls of one endpoint (or a group) a limit of their own: for a call that does long work while the
    /// client waits, where 503 after the default limit would be wrong. Prefer answering 202 and doing the work in the
    /// background.
    /// </summary>
    public static TBuilder WithApiDeadline<TBuilder>(this TBuilder builder, TimeSpan limit)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiDeadlineMetadata(limit));

    /// <summary>Runs <paramref name="next"/> with the request's limit set (the endpoint's own, else <paramref name="limit"/>).</summary>
    public static async Task RunAsync(HttpContext context, RequestDelegate next, TimeSpan limit)
    {
        // Set inside an async method, so the value ends with the request instead of staying on Kestrel's flow.
        Current.Value = context.GetEndpoint()?.Metadata.GetMetadata<ApiDeadlineMetadata>()?.Limit ?? limit;
        await next(context);
    }
}

/// <summary>An endpoint's own API deadline (see <see cref="ApiDeadline.WithApiDeadline"/>).</summary>
public sealed record ApiDeadlineMetadata(TimeSpan Limit);

/// <summary>A grain call made by an HTTP request did not answer within the API deadline.</summary>
public sealed class ApiDeadlineExceededException(string call, TimeSpan limit)
    : TimeoutException($"{call} did not answer within {limit.TotalSeconds:0.#} s")
{
    /// <summary>The grain method called, as <c>IGrain.Method</c>.</summary>
    public string Call { get; } = call;

    public TimeSpan Limit { get; } = limit;
}
