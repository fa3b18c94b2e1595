using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces.Tests.Measure;

/// <summary>
/// The measure by source. A fold is one source (an MTA or a provider, with the names the rules use for it);
/// its held-out figure is the agreement on its material when the rules written for that source
/// (<see cref="ReplyRule.Origins"/>) are taken out of the book, i.e. what the classifier does with a source
/// it has never seen: the RFC 3463 table, the stage, the wording many MTAs share, the other sources' rules.
/// </summary>
internal static class SourceFolds
{
    // Sources whose material answers for the same rules: Exchange Server and Exchange Online share
    // Microsoft's codes; Outlook.com is Microsoft; the dev corpus's MTA labels name their system.
    private static readonly Dictionary<string, string> FoldOf = new(StringComparer.Ordinal)
    {
        ["exchange"] = "microsoft", ["office365"] = "microsoft", ["outlook"] = "microsoft", ["exchange2007"] = "microsoft",
        ["exchange2003"] = "microsoft", ["gmail"] = "google", ["googlegroups"] = "google", ["googleworkspace"] = "google",
        ["aol"] = "yahoo", ["nttdocomo"] = "jp-carriers", ["ezweb"] = "jp-carriers", ["kddi"] = "jp-carriers",
        ["v5sendmail"] = "sendmail", ["receivingses"] = "amazonses", ["gmx"] = "gmx-webde", ["mfilter"] = "filters",
        ["barracuda"] = "filters", ["mcafee"] = "filters", ["trendmicro"] = "filters", ["surfcontrol"] = "filters",
        ["activehunter"] = "filters", ["notes"] = "domino",
    };

    /// <summary>The fold of a corpus group or a dev-corpus MTA label (<c>lhost-postfix</c> → <c>postfix</c>).</summary>
    public static string Of(string groupOrMta)
    {
        var name = groupOrMta.StartsWith("lhost-", StringComparison.Ordinal) || groupOrMta.StartsWith("rhost-", StringComparison.Ordinal)
            ? groupOrMta[6..]
            : groupOrMta;
        return FoldOf.GetValueOrDefault(name, name);
    }

    /// <summary>The rule book without the rules written for <paramref name="fold"/> (and the sources folded into it).</summary>
    public static RuleBook HeldOut(RuleBook book, string fold)
    {
        var sources = FoldOf.Where(kv => kv.Value == fold).Select(kv => kv.Key).Append(fold).ToHashSet(StringComparer.Ordinal);
        return book.Without(sources);
    }
}
