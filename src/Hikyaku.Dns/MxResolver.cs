using Hikyaku.Domain.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hikyaku.Dns;

/// <summary>
/// <see cref="IMxResolver"/> over DnsClient with a TTL cache. Answers live for their TTL clamped to
/// [<see cref="DnsOptions.MinTtl"/>, <see cref="DnsOptions.MaxTtl"/>], NXDOMAIN and no-data for their
/// RFC 2308 negative TTL clamped the same way, temporary failures only for
/// <see cref="DnsOptions.TemporaryFailureTtl"/>. One query per domain is in flight at a time.
/// </summary>
public sealed class MxResolver : IMxResolver
{
    // Past this many entries, expired ones are swept on insert so the cache cannot grow without bound.
    private const int SweepThreshold = 10_000;

    private readonly MxLookup _lookup;
    private readonly DnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>A resolver asking the name servers of <paramref name="options"/>.</summary>
    public MxResolver(DnsOptions options, TimeProvider time, ILogger<MxResolver>? logger = null)
    {
        _options = options;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _lookup = new MxLookup(DnsQuery.Create(options));
    }

    /// <inheritdoc />
    public Task<MxResolution> ResolveAsync(string domain, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var key = HostName.Normalize(domain);
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry!) || entry.ExpiresAt <= _time.GetUtcNow())
            {
                SweepIfLarge();
                entry = new Entry();
                _entries[key] = entry;
                // Shared by every caller, so no caller's cancellation may cut it short; the
                // query is bounded by the DNS timeout and retries.
                entry.Resolution = ResolveAndStoreAsync(key, entry);
            }
        }
        return entry.Resolution.WaitAsync(cancellationToken);
    }

    private async Task<MxResolution> ResolveAndStoreAsync(string domain, Entry entry)
    {
        // Start the query outside the caller's lock.
        await Task.Yield();
        MxResolution resolution;
        try
        {
            resolution = await _lookup.ResolveAsync(domain, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // A bug or broken infrastructure, not a DNS answer: let the next caller try afresh.
            lock (_gate)
            {
                if (_entries.GetValueOrDefault(domain) == entry)
                {
                    _entries.Remove(domain);
                }
            }
            throw;
        }
        if (resolution.IsTemporary)
        {
            DnsLog.MxTemporaryFailure(_logger, domain, resolution.Error);
        }
        lock (_gate)
        {
            entry.ExpiresAt = _time.GetUtcNow() + CacheLifetime(resolution);
        }
        return resolution;
    }

    private TimeSpan CacheLifetime(MxResolution resolution) => resolution.IsTemporary
        ? _options.TemporaryFailureTtl
        : TimeSpan.FromTicks(Math.Clamp(resolution.Ttl.Ticks, _options.MinTtl.Ticks, _options.MaxTtl.Ticks));

    private void SweepIfLarge()
    {
        if (_entries.Count < SweepThreshold)
        {
            return;
        }
        var now = _time.GetUtcNow();
        foreach (var (key, _) in _entries.Where(e => e.Value.ExpiresAt <= now).ToArray())
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        // In flight until the answer arrives and sets the real expiry.
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;

        public Task<MxResolution> Resolution { get; set; } = null!;
    }
}
