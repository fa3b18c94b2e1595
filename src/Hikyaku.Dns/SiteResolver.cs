using Hikyaku.Domain.Providers;

namespace Hikyaku.Dns;

/// <summary>A domain's site together with the MX answer it was decided from.</summary>
/// <param name="Site">The rolled-up destination.</param>
/// <param name="Mx">The MX resolution; when it is a temporary failure the site rests on the
/// catalog's domain list alone (or is the domain itself) and is worth asking again later.</param>
public sealed record SiteResolution(Site Site, MxResolution Mx);

/// <summary>Maps a recipient domain to its <see cref="Site"/> through DNS and the provider catalog.</summary>
public interface ISiteResolver
{
    /// <summary>Resolves <paramref name="domain"/>'s MX hosts and rolls them up to a site.</summary>
    Task<SiteResolution> GetSiteAsync(string domain, CancellationToken cancellationToken = default);
}

/// <summary><see cref="ISiteResolver"/> over an <see cref="IMxResolver"/> and a <see cref="SiteRollup"/>.</summary>
public sealed class SiteResolver(IMxResolver resolver, SiteRollup rollup) : ISiteResolver
{
    /// <inheritdoc />
    public async Task<SiteResolution> GetSiteAsync(string domain, CancellationToken cancellationToken = default)
    {
        var mx = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        var hosts = mx.Status == MxStatus.Ok ? mx.Hosts.Select(h => h.Name).ToArray() : [];
        return new SiteResolution(rollup.Resolve(mx.Domain, hosts), mx);
    }
}
