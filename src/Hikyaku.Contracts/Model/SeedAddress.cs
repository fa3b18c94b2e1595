namespace Hikyaku.Contracts.Model;

/// <summary>
/// One of the tenant's own mailboxes at a provider (a seed address): test deliveries can go to it, and a lane that
/// probes after a block toward <see cref="Provider"/> sends its first probe there before any reader's message.
/// </summary>
/// <param name="Provider">A provider id of the catalog (<c>microsoft</c>, <c>google</c>, ...): the site a probe is for.</param>
/// <param name="Address">The mailbox, normalised.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.seed-address")]
public sealed record SeedAddress(
    [property: Id(0)] string Provider,
    [property: Id(1)] string Address);
