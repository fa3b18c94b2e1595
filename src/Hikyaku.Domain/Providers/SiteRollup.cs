namespace Hikyaku.Domain.Providers;

/// <summary>
/// Decides a recipient domain's <see cref="Site"/> from its MX host names. Pure: the DNS lookup
/// happens in the adapter, which passes the hosts in preference order.
/// </summary>
public sealed class SiteRollup(ProviderCatalog catalog)
{
    /// <summary>A rollup over <see cref="ProviderCatalog.Default"/>.</summary>
    public static SiteRollup Default { get; } = new(ProviderCatalog.Default);

    /// <summary>
    /// The site of <paramref name="domain"/>: the catalog provider that owns any of its MX hosts;
    /// else the provider that lists the domain (its MX names may have moved past the catalog's
    /// patterns, and no other provider claims them); else the registrable parent of the primary
    /// MX host, so domains hosted on one ISP share a site; else the domain alone.
    /// </summary>
    /// <param name="domain">The recipient domain.</param>
    /// <param name="mxHostsByPreference">MX host names, most preferred (lowest value) first.</param>
    public Site Resolve(string domain, IReadOnlyList<string> mxHostsByPreference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var owner = mxHostsByPreference.Select(catalog.FindByMxHost).FirstOrDefault(p => p is not null)
            ?? catalog.FindByDomain(domain);
        if (owner is not null)
        {
            return new Site(owner.Id, owner.Id);
        }
        return mxHostsByPreference.Count > 0
            ? new Site(HostName.RegistrableParent(mxHostsByPreference[0]), null)
            : new Site(HostName.Normalize(domain), null);
    }
}
