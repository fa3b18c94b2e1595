using System.Text.RegularExpressions;
using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces.Tests;

/// <summary>
/// A rule first looks for words its pattern cannot match without, and runs the regex only when
/// they are there. That shortcut must never change an answer: a rule matches exactly the texts its
/// pattern matches.
/// </summary>
public sealed class RuleWordFilterTests
{
    [Theory]
    [InlineData("ab+c", "xx abbc")] // a repeated letter ends the word: "ab", then "c"
    [InlineData("colou?r", "COLOR")]
    [InlineData("a{2,}bcd", "aaabcd")]
    [InlineData("a{ 1}bcd", "a{ 1}bcd")] // not a quantifier in .NET: literal braces
    [InlineData("mail ?box (?:is )?full|over ?quota", "MAILBOX FULL")]
    [InlineData("mail ?box (?:is )?full|over ?quota", "overquota")]
    [InlineData("user(?= unknown)", "User Unknown")]
    [InlineData("(?<!no )spam(?!haus)", "spam detected")]
    [InlineData("(?<word>abc)\\k<word>", "ABCabc")]
    [InlineData("\\x41BCD", "abcd")]
    [InlineData("(?i)abcd", "ABCD")]
    [InlineData("[]x]yzw", "]yzw")]
    [InlineData("[^]x]yzw", "ayzw")]
    [InlineData("\\(S3140\\)", "blocked (s3140)")]
    [InlineData("\\bptr\\b", "no PTR record")]
    [InlineData("unknown user", "un\u212Anown user")] // the Kelvin sign: a case-insensitive k to .NET's regex
    [InlineData("n(?:o|ot) such", "nt such")]
    [InlineData("abc|", "anything")] // an empty branch matches everywhere
    public void Rule_answers_as_its_pattern_does_on_patterns_that_need_careful_reading(string pattern, string text)
    {
        var rule = Rule(new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
        Assert.Equal(rule.Pattern.IsMatch(text), rule.Matches(new SmtpReply(0, null, text)));
    }

    [Fact]
    public void Every_embedded_rule_matches_exactly_the_texts_its_pattern_matches()
    {
        var book = RuleBook.Default;
        var rules = book.ProviderRules.Concat(book.TextRules).ToList();
        var texts = rules.SelectMany(r => r.Examples.Concat(r.CounterExamples)).Select(x => x.Text).Distinct().ToList();
        texts = [.. texts, .. texts.Select(t => t.ToUpperInvariant()), .. texts.Select(t => t.Replace('k', '\u212A')), "", "550"];
        var checkedMatches = 0;
        foreach (var rule in rules)
        {
            var stage = rule.Stages.Count > 0 ? rule.Stages[0] : SmtpStage.Unknown;
            foreach (var text in texts)
            {
                var expected = rule.Pattern.IsMatch(text);
                Assert.True(expected == rule.Matches(new SmtpReply(0, null, text, stage)), $"{rule.Id} on '{text}': the pattern says {expected}");
                checkedMatches += expected ? 1 : 0;
            }
        }

        Assert.True(checkedMatches >= rules.Count, "each rule should have matched at least its own examples");
    }

    private static ReplyRule Rule(Regex pattern) => new()
    {
        Id = "test.pattern",
        Provider = "generic",
        Source = "test",
        Reason = BounceReason.Undefined,
        Codes = [],
        Stages = [],
        Pattern = pattern,
        Examples = [],
        CounterExamples = [],
    };
}
