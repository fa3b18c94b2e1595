namespace Hikyaku.Grains.Storage;

/// <summary>
/// A grain's background work: a timer that runs <c>tick</c> while there is work (kept alive, so an idle collection does not
/// interrupt it), and a reminder that brings the grain back to it after a crash or a restart. The grain calls
/// <see cref="Start"/> when work begins, <see cref="Ensure"/> on activation and on the reminder, <see cref="Stop"/> when done.
/// </summary>
internal sealed class BackgroundTick(Grain grain, string reminderName, Func<CancellationToken, Task> tick, TimeSpan every)
{
    private IGrainTimer? _timer;

    public async Task Start()
    {
        await grain.RegisterOrUpdateReminder(reminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Ensure();
    }

    public void Ensure() =>
        _timer ??= grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions(TimeSpan.Zero, every) { KeepAlive = true });

    public async Task Stop()
    {
        _timer?.Dispose();
        _timer = null;
        if (await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
