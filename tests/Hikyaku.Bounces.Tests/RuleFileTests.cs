using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces.Tests;

/// <summary>Every rule is data with a source and examples, and its examples prove it.</summary>
public sealed class RuleFileTests
{
    private static readonly RuleBook Book = RuleBook.Default;

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in Book.ProviderRules.Concat(Book.TextRules))
        {
            data.Add(rule.Id);
        }

        return data;
    }

    [Fact]
    public void All_rule_files_load_and_rule_ids_are_unique()
    {
        Assert.Contains(Book.Files, f => f.EndsWith("microsoft.json", StringComparison.Ordinal));
        Assert.Contains(Book.Files, f => f.EndsWith("enhanced-status.json", StringComparison.Ordinal));
        var ids = Book.ProviderRules.Concat(Book.TextRules).Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_names_its_source_and_matches_and_classifies_each_of_its_examples(string id)
    {
        var rule = Book.ProviderRules.Concat(Book.TextRules).Single(r => r.Id == id);
        Assert.False(string.IsNullOrWhiteSpace(rule.Source));
        Assert.NotEmpty(rule.Examples);
        foreach (var example in rule.Examples)
        {
            Assert.True(rule.Matches(example), $"{id} does not match its example '{example.Text}'");
            var verdict = ReplyClassifier.Classify(example);
            Assert.Equal(rule.Reason, verdict.Reason);
            if (rule.Provider != "generic")
            {
                // A provider's example must be decided by that provider's rule, not by a generic one.
                Assert.Equal(id, verdict.RuleId);
                Assert.Equal(rule.Provider, verdict.Provider);
            }
        }

        foreach (var counter in rule.CounterExamples)
        {
            Assert.False(rule.Matches(counter), $"{id} matches its counter-example '{counter.Text}' at {counter.Stage}");
        }
    }

    [Fact]
    public void Every_decisive_enhanced_code_classifies_a_bare_reply_by_itself()
    {
        foreach (var code in Book.StatusCodes.All.Where(c => c.Decisive))
        {
            var verdict = ReplyClassifier.Classify(new SmtpReply(550, "5." + code.Code, string.Empty, SmtpStage.Rcpt));
            Assert.True(verdict.Reason == code.Reason, $"5.{code.Code} gave {verdict.Reason}, table says {code.Reason}");
            Assert.Equal(code.RuleId, verdict.RuleId);
            Assert.False(string.IsNullOrWhiteSpace(code.Source));
        }
    }
}
