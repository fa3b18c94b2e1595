namespace Hikyaku.Testing;

/// <summary>Waiting for something to happen, without hand-written delay loops in the tests.</summary>
public static class Poll
{
    /// <summary>Re-checks <paramref name="condition"/> every 200 ms until it holds (true) or <paramref name="timeout"/> passes (false).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the clock reads <paramref name="at"/>; at once when that has passed.</summary>
    public static async Task UntilTime(DateTimeOffset at)
    {
        if (at > DateTimeOffset.UtcNow)
        {
            await Task.Delay(at - DateTimeOffset.UtcNow);
        }
    }
}
