using System.Buffers;
using System.Text.RegularExpressions;

namespace Hikyaku.Bounces.Rules;

/// <summary>
/// One classification rule loaded from an embedded JSON file: a text pattern, optionally limited to
/// reply codes, an enhanced-code prefix and SMTP stages, with the document it comes from and the
/// example replies it must match.
/// </summary>
public sealed class ReplyRule
{
    private readonly SearchValues<string>? requiredWords;

    /// <summary>Stable id, e.g. <c>docomo.unknown-user-after-data</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The provider (e.g. <c>microsoft</c>) or <c>generic</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The provider document or RFC the rule follows.</summary>
    public required string Source { get; init; }

    /// <summary>The reason the rule assigns.</summary>
    public required BounceReason Reason { get; init; }

    /// <summary>An action that overrides the reason's default, or null.</summary>
    public ActionClass? Action { get; init; }

    /// <summary>Reply codes the rule applies to; empty for any.</summary>
    public required IReadOnlyList<int> Codes { get; init; }

    /// <summary>Enhanced status code prefix (e.g. <c>5.7.</c>) the rule applies to; null for any.</summary>
    public string? StatusPrefix { get; init; }

    /// <summary>Stages the rule applies to; empty for any stage, including unknown.</summary>
    public required IReadOnlyList<SmtpStage> Stages { get; init; }

    /// <summary>The compiled pattern, matched case-insensitively against the reply text.</summary>
    public required Regex Pattern
    {
        get;
        init
        {
            field = value;
            requiredWords = RequiredWords.Of(value);
        }
    }

    /// <summary>
    /// True for wording that says more than any enhanced status code can ("Helo command rejected" sent
    /// with 5.5.2, "inactive email address" with 5.1.1): such a text rule is tried before a decisive code.
    /// </summary>
    public bool OverridesStatus { get; init; }

    /// <summary>
    /// The sources (MTA or provider, e.g. <c>qmail</c>, <c>microsoft</c>) whose own wording the rule was written
    /// for; empty for wording many systems share. A provider file's rules default to its provider.
    /// </summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Replies this rule must match (and classify as <see cref="Reason"/>).</summary>
    public required IReadOnlyList<SmtpReply> Examples { get; init; }

    /// <summary>Replies this rule must not match; they pin down stage and form distinctions.</summary>
    public required IReadOnlyList<SmtpReply> CounterExamples { get; init; }

    /// <summary>True when the reply's code, status, stage and text all fit this rule.</summary>
    public bool Matches(SmtpReply reply)
    {
        if (Codes.Count > 0 && reply.Code != 0 && !Contains(Codes, reply.Code))
        {
            return false;
        }

        if (StatusPrefix is not null && reply.EnhancedCode is { } e && !e.StartsWith(StatusPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (Stages.Count > 0 && !Contains(Stages, reply.Stage))
        {
            return false;
        }

        // Most texts match no rule: a search for the pattern's own words rules them out first.
        return RequiredWords.MayMatch(requiredWords, reply.Text) && Pattern.IsMatch(reply.Text);
    }

    // A plain loop: LINQ's Contains on IReadOnlyList would allocate an enumerator in the hot path.
    private static bool Contains<T>(IReadOnlyList<T> list, T value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(list[i], value))
            {
                return true;
            }
        }

        return false;
    }
}
