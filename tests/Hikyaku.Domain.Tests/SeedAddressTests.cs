using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Providers;
using Hikyaku.Domain.Tenants;

namespace Hikyaku.Domain.Tests;

/// <summary>Seed addresses: the list a tenant may keep.</summary>
public class SeedAddressTests
{
    private static readonly ProviderCatalog Catalog = ProviderCatalog.Default;

    [Fact]
    public void A_good_list_is_kept_normalised_in_its_order()
    {
        var (items, problems) = SeedAddresses.Check(
            [new(" Microsoft ", "Seed.Box@Hotmail.com"), new("google", "seed@gmail.com"), new("microsoft", "other@outlook.com")], Catalog);

        Assert.Empty(problems);
        Assert.Equal(
            [new SeedAddress("microsoft", "seed.box@hotmail.com"), new SeedAddress("google", "seed@gmail.com"), new SeedAddress("microsoft", "other@outlook.com")],
            items);
    }

    [Fact]
    public void Every_problem_is_named_by_its_field_and_a_list_with_any_keeps_nothing()
    {
        var (items, problems) = SeedAddresses.Check(
            [new("microsoft", "seed@hotmail.com"), new("hotmail", "x@hotmail.com"), null, new("google", "not an address"), new("MICROSOFT", "SEED@hotmail.com"), new(null, "y@gmail.com")],
            Catalog);

        Assert.Empty(items);
        Assert.Equal(["items[1].provider", "items[2]", "items[3].address", "items[4].address", "items[5].provider"], problems.Select(p => p.Field));
        // The unknown provider's message names the providers there are; the duplicate's names the item it repeats.
        var unknown = problems.Single(p => p.Field == "items[1].provider").Message;
        Assert.All(Catalog.Providers, p => Assert.Contains(p.Id, unknown, StringComparison.Ordinal));
        Assert.Contains("items[0]", problems.Single(p => p.Field == "items[4].address").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_address_at_two_providers_is_two_seeds_but_not_the_same_pair_twice()
    {
        Assert.Empty(SeedAddresses.Check([new("microsoft", "seed@example.jp"), new("google", "seed@example.jp")], Catalog).Problems);
        Assert.Single(SeedAddresses.Check([new("google", "seed@example.jp"), new("google", "Seed@Example.jp")], Catalog).Problems);
    }

    [Fact]
    public void A_missing_list_or_more_than_fifty_is_refused_and_an_empty_one_clears()
    {
        Assert.Equal("items", Assert.Single(SeedAddresses.Check(null, Catalog).Problems).Field);
        var many = Enumerable.Range(0, SeedAddresses.MaxItems + 1).Select(i => (SeedAddressInput?)new SeedAddressInput("google", $"s{i}@gmail.com")).ToList();
        Assert.Equal("items", Assert.Single(SeedAddresses.Check(many, Catalog).Problems).Field);
        Assert.Empty(SeedAddresses.Check(many.Take(SeedAddresses.MaxItems).ToList(), Catalog).Problems);
        var cleared = SeedAddresses.Check([], Catalog);
        Assert.Equal((0, 0), (cleared.Items.Count, cleared.Problems.Count));
    }

    [Fact]
    public void A_lane_probes_the_first_seed_of_its_own_provider()
    {
        IReadOnlyList<SeedAddress> seeds = [new("google", "g@gmail.com"), new("microsoft", "m1@hotmail.com"), new("microsoft", "m2@hotmail.com")];

        Assert.Equal("m1@hotmail.com", SeedAddresses.For(seeds, "microsoft")!.Address);
        Assert.Null(SeedAddresses.For(seeds, "apple"));
    }
}
