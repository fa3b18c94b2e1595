using Orleans.Concurrency;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// The ids of one kind of thing, for the list routes: every tenant (key <see cref="Tenants"/>) or one tenant's
/// magazines (key <see cref="Magazines"/>). Grains are found by id and nothing else enumerates them, so whoever
/// creates one adds it here first (an entry whose creation then failed is skipped by the lister). Event-sourced
/// like the rest: it survives restarts and lives once in a cluster.
/// </summary>
[Alias("hikyaku.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithStringKey
{
    const string Tenants = "tenants";

    /// <summary>Provider sites that have had a block: the block routes find every block through it, also after a restart.</summary>
    const string BlockedSites = "blocked-sites";

    static string Magazines(string tenantId) => $"magazines/{tenantId}";

    /// <summary>Magazines (<c>{tenantId}/{magazineId}</c>) that have had a step sequence: their schedulers are woken at start.</summary>
    const string StepMagazines = "step-magazines";

    /// <summary>Adds <paramref name="id"/>; adding one that is there already changes nothing.</summary>
    [Alias("Add")]
    Task Add(string id);

    /// <summary>
    /// <see cref="Add"/> without waiting: for a grain that finds itself existing at activation, whose caller (say, the
    /// authentication of a request) must not wait on the directory.
    /// </summary>
    [Alias("Remember"), OneWay]
    Task Remember(string id);

    /// <summary>Up to <paramref name="limit"/> ids after <paramref name="after"/> (exclusive), in ordinal order.</summary>
    [Alias("Page")]
    Task<IReadOnlyList<string>> Page(string? after, int limit);
}
