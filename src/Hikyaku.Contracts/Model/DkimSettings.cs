namespace Hikyaku.Contracts.Model;

/// <summary>
/// A tenant's DKIM signing key (RFC 6376). The private key is sealed before it is stored and never leaves the
/// silo; <see cref="DnsRecord"/> is what the tenant publishes at <c>{Selector}._domainkey.{Domain}</c>.
/// </summary>
[GenerateSerializer, Alias("hikyaku.dkim-settings")]
public sealed record DkimSettings(
    [property: Id(0)] string Domain,
    [property: Id(1)] string Selector,
    [property: Id(2)] string PrivateKeySealed,
    [property: Id(3)] string DnsRecord,
    [property: Id(4)] int KeyBits);
