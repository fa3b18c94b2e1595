using Hikyaku.Contracts.Grains;

namespace Hikyaku.Silo.Delivery;

/// <summary>
/// Wakes the step scheduler of every magazine that has had a sequence, when the silo starts and every half minute after:
/// after a restart or a failover the schedulers run again at once (their reminders would take up to a minute), and what
/// came due meanwhile goes out; and at once when the cluster's membership changes. Orleans keeps each scheduler once in the
/// cluster, however many silos wake it.
/// </summary>
public sealed partial class StepSchedulerWaker(IGrainFactory grains, IClusterMembershipService membership, ILogger<StepSchedulerWaker> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>How often the cluster's membership is looked at: a silo that left took its schedulers with it.</summary>
    private static readonly TimeSpan MembershipLook = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Every;
            try
            {
                var directory = grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.StepMagazines);
                string? after = null;
                while (await directory.Page(after, 500) is { Count: > 0 } page)
                {
                    await Task.WhenAll(page.Select(key => grains.GetGrain<IStepSchedulerGrain>(key).Wake()));
                    after = page[^1];
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo is still starting (or a database hiccup): try again soon.
                WakeFailed(logger, e.Message);
                wait = RetryAfter;
            }

            try
            {
                // Early when the membership changes (a silo died or left): the schedulers it ran start again here at once.
                var version = membership.CurrentSnapshot.Version;
                for (var waited = TimeSpan.Zero; waited < wait && membership.CurrentSnapshot.Version == version; waited += MembershipLook)
                {
                    await Task.Delay(MembershipLook, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 5400, Level = LogLevel.Debug, Message = "Waking the step schedulers failed ({Reason}); trying again shortly")]
    private static partial void WakeFailed(ILogger logger, string reason);
}
