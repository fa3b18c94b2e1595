namespace Hikyaku.Contracts.Model;

/// <summary>A DNS block list that lists a sending IP: since when (first seen), its answer codes (RFC 5782), when last checked.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.dnsbl-listing")]
public sealed record DnsblListing(
    [property: Id(0)] string Zone,
    [property: Id(1)] IReadOnlyList<string> Codes,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] DateTimeOffset CheckedAt);

/// <summary>What one check of a sending IP changed: the lists that list it now, the ones newly listing it, the ones that stopped.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.dnsbl-change")]
public sealed record DnsblChange(
    [property: Id(0)] IReadOnlyList<DnsblListing> Listed,
    [property: Id(1)] IReadOnlyList<string> NewlyListed,
    [property: Id(2)] IReadOnlyList<string> Cleared)
{
    public bool Changed => NewlyListed.Count > 0 || Cleared.Count > 0;
}
