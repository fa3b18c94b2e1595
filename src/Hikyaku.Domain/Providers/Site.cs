namespace Hikyaku.Domain.Providers;

/// <summary>
/// A rolled-up destination (KumoMTA's and PowerMTA's "site"): every recipient domain whose mail
/// lands on the same MX infrastructure shares one, so throttles and blocks learnt for a sending IP
/// apply to all of them.
/// </summary>
/// <param name="Id">The provider id for catalog providers (<c>microsoft</c>), else the registrable
/// parent of the primary MX host (<c>example-isp.net</c>), else the domain itself.</param>
/// <param name="ProviderId">The catalog provider, when the site is one.</param>
public sealed record Site(string Id, string? ProviderId);
