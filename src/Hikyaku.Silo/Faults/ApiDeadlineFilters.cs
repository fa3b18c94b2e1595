namespace Hikyaku.Silo.Faults;

/// <summary>
/// Bounds the grain calls of an HTTP request by <see cref="ApiDeadline.Limit"/>, and tells the called grain the
/// deadline, so a call that could only start after it (its grain was activating, or busy) is refused instead of run
/// when nobody waits for it any more: a write the client was told failed with 503 then changes nothing.
/// </summary>
/// <remarks>
/// A call that did start before the deadline runs to its end, and a journaled write it raised is retried until the
/// event store takes it (EventSourcedGrain.ApplyUpdatesToStorage): that is why the 503's detail says to read before
/// retrying. Calls a grain makes to other grains are not the API's: the deadline is taken off the request context when
/// the call arrives, so it does not travel further. The deadline is the caller's UTC clock; silos of one cluster are
/// expected to keep their clocks within well under a second (NTP), or calls that arrive in the deadline's last moments
/// are refused early.
/// </remarks>
public sealed class ApiDeadlineFilters(TimeProvider time) : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
{
    /// <summary>The request context key carrying the deadline (UTC ticks) to the called grain.</summary>
    public const string DeadlineKey = "hikyaku.api-deadline";

    public Task Invoke(IOutgoingGrainCallContext context) =>
        ApiDeadline.Limit is { } limit && context.SourceContext is null ? Bounded(context, limit) : context.Invoke();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(DeadlineKey) is not long deadline)
        {
            return context.Invoke();
        }

        RequestContext.Remove(DeadlineKey);
        return time.GetUtcNow().UtcTicks > deadline
            ? Task.FromException(new TimeoutException($"{context.InterfaceName}.{context.MethodName} reached its grain after the API deadline and was not run"))
            : context.Invoke();
    }

    private async Task Bounded(IOutgoingGrainCallContext context, TimeSpan limit)
    {
        RequestContext.Set(DeadlineKey, (time.GetUtcNow() + limit).UtcTicks);
        var call = context.Invoke();
        try
        {
            await call.WaitAsync(limit, time);
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            // The call goes on without a caller; its eventual failure is nobody's to observe.
            _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ApiDeadlineExceededException($"{ShortName(context.InterfaceName)}.{context.MethodName}", limit);
        }
    }

    private static string ShortName(string interfaceName) => interfaceName[(interfaceName.LastIndexOf('.') + 1)..];
}
