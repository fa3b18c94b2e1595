using System.Net;

namespace Hikyaku.Dns;

/// <summary>What an MX lookup concluded. Only <see cref="TemporaryFailure"/> is worth retrying.</summary>
public enum MxStatus
{
    /// <summary>At least one mail host with an address.</summary>
    Ok,

    /// <summary>NXDOMAIN: the domain does not exist (permanent; the bounce taxonomy's hostunknown).</summary>
    NoSuchDomain,

    /// <summary>RFC 7505 null MX (<c>0 .</c>): the domain accepts no mail (permanent).</summary>
    NullMx,

    /// <summary>No MX and no A/AAAA to fall back to, or no MX host has an address (permanent).</summary>
    NoMailHost,

    /// <summary>SERVFAIL, REFUSED, timeout, network error: try again later.</summary>
    TemporaryFailure,
}

/// <summary>One mail exchanger with the addresses its name resolved to.</summary>
/// <param name="Name">Host name, lower case, no trailing dot.</param>
/// <param name="Preference">MX preference; lower is tried first.</param>
/// <param name="Addresses">A and AAAA addresses; empty when the name did not resolve.</param>
public sealed record MxHost(string Name, int Preference, IReadOnlyList<IPAddress> Addresses);

/// <summary>The outcome of resolving where a domain's mail goes.</summary>
/// <param name="Domain">The domain asked about, normalised.</param>
/// <param name="Status">The conclusion.</param>
/// <param name="Hosts">Mail hosts by preference (then name), leaving out hosts whose names did not
/// resolve (RFC 5321 §5.1); empty unless <see cref="MxStatus.Ok"/>.</param>
/// <param name="ImplicitMx">True when the domain had no MX and its own A/AAAA stands in (RFC 5321 §5.1).</param>
/// <param name="Ttl">How long the answer may be reused: the records' smallest TTL, or the RFC 2308
/// negative TTL for NXDOMAIN / no data; before the cache's clamping.</param>
/// <param name="Error">What went wrong, for logs and operators; null when <see cref="MxStatus.Ok"/>.</param>
public sealed record MxResolution(
    string Domain,
    MxStatus Status,
    IReadOnlyList<MxHost> Hosts,
    bool ImplicitMx,
    TimeSpan Ttl,
    string? Error)
{
    /// <summary>True when a later attempt may succeed; false for an answer to act on.</summary>
    public bool IsTemporary => Status == MxStatus.TemporaryFailure;

    internal static MxResolution Failed(string domain, MxStatus status, TimeSpan ttl, string error) =>
        new(domain, status, [], false, ttl, error);
}

/// <summary>Finds the mail hosts of a recipient domain.</summary>
public interface IMxResolver
{
    /// <summary>
    /// Resolves <paramref name="domain"/>'s MX hosts (with their addresses), falling back to the
    /// domain's own address when it has no MX. Answers are cached by TTL; concurrent calls for one
    /// domain share one query. DNS failures are outcomes, never exceptions.
    /// </summary>
    Task<MxResolution> ResolveAsync(string domain, CancellationToken cancellationToken = default);
}
