using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// A probing lane's probes to the tenant's seed address: the test message (as test deliveries compose it) from this lane's
/// IP to the provider's MX, its reply handed to the site to judge as a probe.
/// </summary>
public sealed partial class LaneGrain
{
    // Seeds whose domain the provider of this lane does not serve: a probe there would say nothing about this lane.
    private readonly HashSet<string> _seedsElsewhere = new(StringComparer.Ordinal);

    /// <summary>The seed the gate names, unless its domain turned out to be another provider's.</summary>
    private SeedProbeTarget? UsableSeed() =>
        _gate.Seed is { } seed && !_seedsElsewhere.Contains(seed.Address) ? seed : null;

    private async Task RunSeedProbe(SeedProbeTarget seed, string blockId)
    {
        try
        {
            var route = await router.RouteAsync(EmailAddress.DomainOf(seed.Address));
            if (route.Status != RouteStatus.Ok)
            {
                // Nothing learnt about the block: the next probe tries again.
                LogSeedUnroutable(logger, this.GetPrimaryKeyString(), seed.Address, route.Error);
                return;
            }

            if (route.SiteId != Key.SiteId)
            {
                _seedsElsewhere.Add(seed.Address);
                LogSeedElsewhere(logger, this.GetPrimaryKeyString(), seed.Address, route.SiteId);
                return;
            }

            var attempts = await GrainFactory.GetGrain<ISmtpWorkerGrain>(0).SendTest(new SmtpTestWork(
                seed.TenantId, Key.SourceIp, route.MxHost, route.Target!.Address.ToString(), route.Target.Port, [seed.Address],
                $"a probe of {Key.SourceIp} toward {Key.SiteId} after block {blockId}"));
            var reply = attempts[0].Reply;
            Remember(reply);
            if (!reply.FromProvider && reply.Action != ReplyAction.Accepted)
            {
                // No word from the provider (no connection, session lost): not a probe; the next one tries again.
                LogSeedNotReached(logger, this.GetPrimaryKeyString(), seed.Address, reply.Text);
                return;
            }

            SetGate(await Site.SeedProbed(Key.SourceIp, blockId, new SeedProbeReport(seed.Address, reply, time.GetUtcNow())), time.GetUtcNow());
            if (reply.Action == ReplyAction.Accepted)
            {
                _warm = true;
                await CountSent(attempts);
            }
        }
        catch (Exception e)
        {
            LogSeedProbeFailed(logger, this.GetPrimaryKeyString(), seed.Address, e);
        }
        finally
        {
            _batchesInFlight--;
            EnsureTimer();
        }
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Lane {Lane}: the seed address {Seed} has no route now ({Error}); the next probe tries again")]
    private static partial void LogSeedUnroutable(ILogger logger, string lane, string seed, string? error);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Lane {Lane}: the seed address {Seed} is served by {Site}, not this lane's provider; it probes with readers instead")]
    private static partial void LogSeedElsewhere(ILogger logger, string lane, string seed, string site);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Lane {Lane}: the probe to the seed address {Seed} did not reach the provider ({Text}); the next probe tries again")]
    private static partial void LogSeedNotReached(ILogger logger, string lane, string seed, string text);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Lane {Lane}: the probe to the seed address {Seed} failed; the next probe tries again")]
    private static partial void LogSeedProbeFailed(ILogger logger, string lane, string seed, Exception exception);
}
