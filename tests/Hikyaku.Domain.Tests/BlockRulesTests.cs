using Hikyaku.Domain.Sites;

namespace Hikyaku.Domain.Tests;

/// <summary>The block rules are data with sources; configuration changes one site without touching the others.</summary>
public sealed class BlockRulesTests
{
    [Fact]
    public void The_embedded_rules_read_the_carriers_stage_rule_and_block_on_one_explicit_reply_elsewhere()
    {
        var rules = BlockRules.Default;
        Assert.All(new[] { "docomo", "au", "softbank" }, c => Assert.True(rules.For(c).UnknownAfterDataIsFilter, c));
        Assert.False(rules.For("microsoft").UnknownAfterDataIsFilter);
        Assert.Equal((1, TimeSpan.FromMinutes(10)), (rules.For("google").ExplicitHits, rules.For("google").ExplicitWindow));
        Assert.Equal(["yahoo"], rules.SitesUsing("zen.spamhaus.org"));
        Assert.Empty(rules.SitesUsing("bl.spamcop.net"));
    }

    [Fact]
    public void Configuration_overrides_one_site_and_keeps_the_rest_of_its_data()
    {
        var rules = BlockRules.Default.With(new Dictionary<string, BlockRuleData>
        {
            ["yahoo"] = new() { ExplicitHits = 2, ExplicitWindow = TimeSpan.FromHours(1) },
            ["docomo"] = new() { Dnsbl = ["bl.spamcop.net"] },
        });
        Assert.Equal((2, TimeSpan.FromHours(1)), (rules.For("yahoo").ExplicitHits, rules.For("yahoo").ExplicitWindow));
        Assert.Equal(["yahoo"], rules.SitesUsing("zen.spamhaus.org"));
        Assert.True(rules.For("docomo").UnknownAfterDataIsFilter);
        Assert.Equal(["docomo"], rules.SitesUsing("bl.spamcop.net"));
        Assert.Equal(1, rules.For("microsoft").ExplicitHits);
    }

    [Theory]
    [InlineData("""{"default":{"explicitHits":1,"source":"x"},"providers":{"a":{"explicitHits":0,"source":"y"}}}""", "explicitHits")]
    [InlineData("""{"default":{"explicitHits":1,"source":"x"},"providers":{"a":{"explicitWindow":"ten minutes","source":"y"}}}""", "explicitWindow")]
    [InlineData("""{"default":{"explicitHits":1,"source":"x"},"providers":{"a":{"explicitHits":2}}}""", "source")]
    [InlineData("""{"providers":{}}""", "default")]
    public void Rules_without_a_source_or_with_impossible_numbers_are_refused(string json, string named)
    {
        var e = Assert.Throws<FormatException>(() => BlockRules.Parse(json));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_that_makes_a_rule_impossible_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => BlockRules.Default.With(new Dictionary<string, BlockRuleData> { ["google"] = new() { ExplicitHits = 0 } }));
        Assert.Contains("google", e.Message, StringComparison.Ordinal);
    }
}
