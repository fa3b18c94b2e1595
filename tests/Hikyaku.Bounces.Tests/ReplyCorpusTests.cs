using Hikyaku.Bounces.Rules;
using Hikyaku.Bounces.Tests.Measure;
using Xunit.Abstractions;

namespace Hikyaku.Bounces.Tests;

/// <summary>
/// Hikyaku's own reply corpus (Corpus/replies.tsv): documented replies from provider postmaster pages,
/// MTA sources and filter and block-list documentation, each with the action class it must get.
/// </summary>
public sealed class ReplyCorpusTests(ITestOutputHelper output)
{
    private const double OverallFloor = 0.98;
    private const double ClassFloor = 0.95;
    private const double HeldOutGap = 0.03;

    private static readonly ActionClass[] Failures =
        [ActionClass.AddressDead, ActionClass.AddressSoft, ActionClass.SenderBlocked, ActionClass.RateLimited, ActionClass.ContentRejected];

    [Fact]
    public void Corpus_has_400_sourced_replies_and_30_of_every_failure_class()
    {
        var rows = ReplyCorpus.Load();
        Assert.True(rows.Count >= 400, $"{rows.Count} replies, want at least 400");
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Source), $"line {r.Line} names no source"));
        foreach (var action in Failures)
        {
            var n = rows.Count(r => r.Action == action);
            Assert.True(n >= 30, $"{action.Name()}: {n} replies, want at least 30");
        }
    }

    [Fact]
    public void Action_class_agrees_on_98_percent_overall_and_95_in_every_class()
    {
        var agreement = new Agreement();
        foreach (var row in ReplyCorpus.Load())
        {
            var c = ReplyClassifier.Classify(row.Reply);
            agreement.Add(row.Action.Name(), c.Action.Name());
            if (c.Action != row.Action)
            {
                output.WriteLine($"MISS line {row.Line} [{row.Group}/{row.Reply.Stage.Name()}] expected {row.Action.Name()}/{row.Reason.Name()} got {c.Action.Name()}/{c.Reason.Name()} rule={c.RuleId}: {row.Reply.Code} {row.Reply.EnhancedCode} {row.Reply.Text}");
            }
        }

        output.WriteLine(agreement.ConfusionTable());
        Assert.True(agreement.Rate >= OverallFloor, $"action class agreement {agreement.Rate:P1} is below {OverallFloor:P0}");
        foreach (var action in Failures)
        {
            var (_, _, rate) = agreement.For(action.Name());
            Assert.True(rate >= ClassFloor, $"{action.Name()} agreement {rate:P1} is below {ClassFloor:P0}");
        }
    }

    [Fact]
    public void Held_out_sources_agree_within_three_points_of_fitted()
    {
        var rows = ReplyCorpus.Load();
        var fitted = new Agreement();
        var heldOut = new Agreement();
        foreach (var fold in rows.GroupBy(r => SourceFolds.Of(r.Group)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var book = SourceFolds.HeldOut(RuleBook.Default, fold.Key);
            var (inFold, outFold) = (new Agreement(), new Agreement());
            foreach (var row in fold)
            {
                inFold.Add(row.Action.Name(), ReplyClassifier.Classify(row.Reply).Action.Name());
                var held = ReplyClassifier.Classify(row.Reply, book);
                outFold.Add(row.Action.Name(), held.Action.Name());
                fitted.Add(row.Action.Name(), ReplyClassifier.Classify(row.Reply).Action.Name());
                heldOut.Add(row.Action.Name(), held.Action.Name());
                if (held.Action != row.Action)
                {
                    output.WriteLine($"  held-out miss line {row.Line} [{fold.Key}] expected {row.Action.Name()} got {held.Action.Name()}/{held.Reason.Name()} rule={held.RuleId}: {row.Reply.Text}");
                }
            }

            output.WriteLine($"{fold.Key,-14} {fold.Count(),4} replies  fitted {inFold.Rate,7:P1}  held out {outFold.Rate,7:P1}  ({RuleBook.Default.ProviderRules.Count + RuleBook.Default.TextRules.Count - book.ProviderRules.Count - book.TextRules.Count} rules of its own)");
        }

        output.WriteLine($"all sources: fitted {fitted.Rate:P1}, held out {heldOut.Rate:P1}");
        output.WriteLine("held-out confusion table:\n" + heldOut.ConfusionTable());
        Assert.True(fitted.Rate - heldOut.Rate <= HeldOutGap, $"held out {heldOut.Rate:P1} is more than {HeldOutGap:P0} below fitted {fitted.Rate:P1}");
    }

    [Fact]
    public void No_refusal_of_the_sender_rate_or_content_comes_out_as_a_dead_address()
    {
        var wrong = ReplyCorpus.Load()
            .Where(r => r.Action is ActionClass.SenderBlocked or ActionClass.RateLimited or ActionClass.ContentRejected)
            .Where(r => ReplyClassifier.Classify(r.Reply).Action == ActionClass.AddressDead)
            .Select(r => $"line {r.Line}: {r.Reply.Text}")
            .ToList();
        Assert.True(wrong.Count == 0, "false address-dead: " + string.Join("; ", wrong));
    }
}
