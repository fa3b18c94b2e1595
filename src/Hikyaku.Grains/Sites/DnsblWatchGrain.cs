using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Sites;

/// <summary>Answers which of the configured DNS block lists list an IP (zone → answer codes); the silo gives it DNS.</summary>
public interface IDnsblLookup
{
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ListedAsync(string ip, CancellationToken cancellationToken);
}

/// <summary>See <see cref="IDnsblWatchGrain"/>. Without DNS (the sandbox) there is nothing to look up and it does nothing.</summary>
public sealed partial class DnsblWatchGrain(BlockOptions options, IServiceProvider services, TimeProvider time, ILogger<DnsblWatchGrain> logger)
    : Grain, IDnsblWatchGrain, IRemindable
{
    private const string Reminder = "dnsbl";
    private IGrainTimer? _timer;
    private DateTimeOffset _lastCheck;
    private bool _checking;

    private IDnsblLookup? Lookup => services.GetService<IDnsblLookup>();

    public async Task Start()
    {
        if (Lookup is null)
        {
            return;
        }

        // The reminder brings the watch back after a restart or failover; the timer keeps the configured pace (a reminder
        // cannot tick faster than a minute).
        var period = options.DnsblInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : options.DnsblInterval;
        await this.RegisterOrUpdateReminder(Reminder, period, period);
        EnsureTimer();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureTimer();
        return Task.CompletedTask;
    }

    public async Task<int> CheckNow()
    {
        if (Lookup is not { } lookup || _checking)
        {
            return 0;
        }

        _checking = true;
        try
        {
            _lastCheck = time.GetUtcNow();
            var listedIps = 0;
            string? after = null;
            while (true)
            {
                var tenants = await GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.Tenants).Page(after, 100);
                foreach (var tenantId in tenants)
                {
                    if (await GrainFactory.GetGrain<ITenantGrain>(tenantId).Get() is not { } tenant)
                    {
                        continue;
                    }

                    foreach (var ip in tenant.Ips)
                    {
                        listedIps += await Check(lookup, tenantId, ip) ? 1 : 0;
                    }
                }

                if (tenants.Count < 100)
                {
                    return listedIps;
                }

                after = tenants[^1];
            }
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task<bool> Check(IDnsblLookup lookup, string tenantId, string ip)
    {
        IReadOnlyDictionary<string, IReadOnlyList<string>> listed;
        try
        {
            listed = await lookup.ListedAsync(ip, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCheckFailed(logger, ip, e);
            return false;
        }

        var change = await GrainFactory.GetGrain<ISendingIpGrain>(ip).RecordDnsbl(listed);
        if (change.Changed)
        {
            LogChanged(logger, ip, string.Join(", ", change.NewlyListed), string.Join(", ", change.Cleared));
            // Every site that uses a list the change touched hears what lists it now (empty: delisted).
            var sites = change.NewlyListed.Concat(change.Cleared).SelectMany(options.SitesUsing).Distinct(StringComparer.Ordinal);
            foreach (var site in sites)
            {
                var here = change.Listed.Where(l => options.SitesUsing(l.Zone).Contains(site, StringComparer.Ordinal)).ToList();
                await GrainFactory.GetGrain<IRecipientDomainGrain>(site).DnsblChanged(tenantId, ip, here);
            }
        }

        return change.Listed.Count > 0;
    }

    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(async _ =>
        {
            if (time.GetUtcNow() - _lastCheck >= options.DnsblInterval)
            {
                await CheckNow();
            }
        }, new GrainTimerCreationOptions(TimeSpan.Zero, options.DnsblInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.DnsblInterval) { KeepAlive = true });

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "DNSBL: {Ip} newly listed on [{Listed}], no longer on [{Cleared}]")]
    private static partial void LogChanged(ILogger logger, string ip, string listed, string cleared);

    [LoggerMessage(EventId = 5311, Level = LogLevel.Warning, Message = "DNSBL: the check of {Ip} failed; it is checked again next time")]
    private static partial void LogCheckFailed(ILogger logger, string ip, Exception exception);
}
