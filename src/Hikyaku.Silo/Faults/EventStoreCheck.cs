namespace Hikyaku.Silo.Faults;

/// <summary>
/// Whether the event store answers right now: asked when a grain call missed the API deadline, so the 503 can say
/// that the database is the part that is down rather than "a silo or the event store". One quick read, at most every
/// second however many requests miss their deadline at once.
/// </summary>
/// <param name="backend">The store's name as an operator knows it: <c>PostgreSQL</c> or <c>SQLite</c>.</param>
/// <param name="read">A cheap read of the store.</param>
public sealed class EventStoreCheck(string backend, Func<CancellationToken, Task> read, TimeProvider time)
{
    /// <summary>How long the read may take before the store counts as not answering.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(1);
    private Task<bool>? _last;
    private DateTimeOffset _lastAt;

    public string Backend { get; } = backend;

    public Task<bool> AnswersAsync()
    {
        var now = time.GetUtcNow();
        lock (this)
        {
            if (_last is null || now - _lastAt > ReuseFor)
            {
                (_last, _lastAt) = (ReadAsync(), now);
            }

            return _last;
        }
    }

    private async Task<bool> ReadAsync()
    {
        using var cancel = new CancellationTokenSource(Budget, time);
        try
        {
            await read(cancel.Token).WaitAsync(Budget, time);
            return true;
        }
        catch (Exception)
        {
            return false; // whatever the reason (refused, reset, timed out), it did not answer
        }
    }
}
