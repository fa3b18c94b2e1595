using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Providers;
using Hikyaku.Domain.Sites;
using Hikyaku.Domain.Tenants;

namespace Hikyaku.Domain.Tests;

/// <summary>Seed addresses: the list a tenant may keep, and how a probe to one is judged and chosen.</summary>
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

    [Theory]
    [InlineData(250, "2.0.0", "OK", true, SeedProbeOutcome.Passed)]
    [InlineData(550, "5.7.1", "Unfortunately, messages from [127.0.0.2] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", true, SeedProbeOutcome.Refused)]
    [InlineData(550, "5.1.1", "Requested action not taken: mailbox unavailable", true, SeedProbeOutcome.Refused)]
    [InlineData(421, "4.7.0", "Try again later", true, SeedProbeOutcome.Inconclusive)]
    [InlineData(452, "4.2.2", "Mailbox full", true, SeedProbeOutcome.Inconclusive)]
    [InlineData(0, null, "Connection refused", false, SeedProbeOutcome.Inconclusive)]
    public void A_seed_probe_passes_when_taken_fails_on_a_block_or_unknown_reply_and_otherwise_says_nothing(int code, string? enhanced, string text, bool fromProvider, SeedProbeOutcome expected)
    {
        var stage = code == 0 ? ReplyStage.Connect : ReplyStage.Rcpt;
        Assert.Equal(expected, SeedProbes.Judge(new ReplyRecord(code, enhanced, text, stage, fromProvider)));
    }

    [Theory]
    [InlineData(false, false, false, ProbeWith.Nothing)]
    [InlineData(false, false, true, ProbeWith.Readers)]
    [InlineData(true, false, true, ProbeWith.Seed)]
    [InlineData(true, false, false, ProbeWith.Seed)]
    [InlineData(true, true, true, ProbeWith.Readers)]
    [InlineData(true, true, false, ProbeWith.Seed)]
    public void Readers_are_only_probed_once_a_seed_probe_went_through_and_the_seed_carries_probes_when_none_wait(bool hasSeed, bool seedPassed, bool readersReady, ProbeWith expected) =>
        Assert.Equal(expected, SeedProbes.Next(hasSeed, seedPassed, readersReady));

    [Fact]
    public void A_site_counts_a_passed_seed_probe_toward_reopening_and_keeps_every_seed_probe_on_the_block()
    {
        var state = new SiteState();
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        state.Apply(new LaneBlocked(Guid.NewGuid(), at, "microsoft.1", "127.0.0.2", "t", "explicit", at, at.AddMinutes(1), [], null, null));
        state.Apply(new LaneProbing(Guid.NewGuid(), at.AddMinutes(1), "microsoft.1", "cooldown"));
        state.Apply(new LaneSeedProbed(Guid.NewGuid(), at.AddMinutes(1), "microsoft.1", "seed@hotmail.com", new ReplyRecord(421, "4.7.0", "later", ReplyStage.Rcpt, true), SeedProbes.InconclusiveOutcome));
        Assert.Equal((0, false), (state.LaneOf("127.0.0.2").ProbesDelivered, state.LaneOf("127.0.0.2").SeedPassed));

        state.Apply(new LaneSeedProbed(Guid.NewGuid(), at.AddMinutes(2), "microsoft.1", "seed@hotmail.com", new ReplyRecord(250, "2.0.0", "OK", ReplyStage.Data, true), SeedProbes.PassedOutcome));
        Assert.Equal((1, true), (state.LaneOf("127.0.0.2").ProbesDelivered, state.LaneOf("127.0.0.2").SeedPassed));
        Assert.Equal([SeedProbes.InconclusiveOutcome, SeedProbes.PassedOutcome], state.Blocks["microsoft.1"].ToView("microsoft").SeedProbes!.Select(p => p.Outcome));

        // A new probing period asks the seed again first.
        state.Apply(new LaneProbeFailed(Guid.NewGuid(), at.AddMinutes(3), "microsoft.1", at.AddMinutes(5), new BlockEvidence(at, "r@hotmail.com", new ReplyRecord(550, "5.7.1", "S3150", ReplyStage.Rcpt, true))));
        state.Apply(new LaneProbing(Guid.NewGuid(), at.AddMinutes(5), "microsoft.1", "cooldown"));
        Assert.Equal((0, false), (state.LaneOf("127.0.0.2").ProbesDelivered, state.LaneOf("127.0.0.2").SeedPassed));
    }
}
