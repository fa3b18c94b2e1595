using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Providers;
using Hikyaku.Domain.Validation;

namespace Hikyaku.Domain.Tenants;

/// <summary>One seed address as a request gives it: either part may be missing or wrong.</summary>
public sealed record SeedAddressInput(string? Provider, string? Address);

/// <summary>A field problem of a seed address list, named as the API names it (<c>items[3].provider</c>).</summary>
public sealed record SeedAddressProblem(string Field, string Message);

/// <summary>
/// Checks a tenant's seed address list as a whole: at most <see cref="MaxItems"/> items, each naming a provider of the
/// catalog and a valid address, no (provider, address) twice. The list is taken whole or not at all.
/// </summary>
public static class SeedAddresses
{
    public const int MaxItems = 50;

    /// <summary>The normalised list (provider ids lower-case, addresses normalised) and every problem found.</summary>
    public static (IReadOnlyList<SeedAddress> Items, IReadOnlyList<SeedAddressProblem> Problems) Check(IReadOnlyList<SeedAddressInput?>? items, ProviderCatalog catalog)
    {
        var problems = new List<SeedAddressProblem>();
        if (items is null)
        {
            return ([], [new("items", $"is required: a list of at most {MaxItems} {{provider, address}} (an empty list removes every seed address)")]);
        }

        if (items.Count > MaxItems)
        {
            return ([], [new("items", $"holds {items.Count} seed addresses; at most {MaxItems} are kept")]);
        }

        var known = string.Join(", ", catalog.Providers.Select(p => p.Id));
        var seen = new Dictionary<(string, string), int>();
        var checkedItems = new List<SeedAddress>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                problems.Add(new($"items[{i}]", "must be an object {provider, address}"));
                continue;
            }

            var provider = item.Provider?.Trim().ToLowerInvariant() ?? string.Empty;
            var providerOk = catalog.FindById(provider) is not null;
            if (!providerOk)
            {
                problems.Add(new($"items[{i}].provider", provider.Length == 0
                    ? $"is required: one of {known}"
                    : $"'{item.Provider}' is not a known provider; known providers are {known}"));
            }

            if (!EmailAddress.TryNormalize(item.Address, out var address, out var error))
            {
                problems.Add(new($"items[{i}].address", error));
                continue;
            }

            if (!providerOk)
            {
                continue;
            }

            if (seen.TryGetValue((provider, address), out var first))
            {
                problems.Add(new($"items[{i}].address", $"repeats items[{first}] ({provider}, {address})"));
                continue;
            }

            seen[(provider, address)] = i;
            checkedItems.Add(new SeedAddress(provider, address));
        }

        return problems.Count == 0 ? (checkedItems, []) : ([], problems);
    }

    /// <summary>The seed a lane toward <paramref name="siteId"/> probes, or null: the first of the tenant's seeds at that provider.</summary>
    public static SeedAddress? For(IReadOnlyList<SeedAddress> seeds, string siteId) =>
        seeds.FirstOrDefault(s => string.Equals(s.Provider, siteId, StringComparison.Ordinal));
}
