namespace Hikyaku.Bounces;

/// <summary>The verdict on one reply or one failed recipient.</summary>
/// <param name="Reason">Why it failed, from the fixed taxonomy.</param>
/// <param name="Hard">True when the address itself is gone (see <see cref="BounceReasons.IsHard"/>).</param>
/// <param name="Action">What the sender should do about it.</param>
/// <param name="Status">The enhanced status code (RFC 3463) seen, or null.</param>
/// <param name="ReplyCode">The SMTP reply code seen, 0 when none.</param>
/// <param name="RuleId">The rule that decided, e.g. <c>microsoft.s3140</c> or <c>rfc3463.x.1.1</c>; null for a fallback.</param>
/// <param name="Provider">The provider whose documented rule matched (e.g. <c>microsoft</c>), or null for generic rules.</param>
public sealed record Classification(
    BounceReason Reason,
    bool Hard,
    ActionClass Action,
    string? Status,
    int ReplyCode,
    string? RuleId,
    string? Provider)
{
    /// <summary>Builds a classification, deriving hard/soft and the action from the reason and status class.</summary>
    public static Classification Of(BounceReason reason, int statusClass, string? status, int replyCode, string? ruleId = null, string? provider = null, ActionClass? action = null) =>
        new(reason, BounceReasons.IsHard(reason, statusClass), action ?? ActionClasses.For(reason, statusClass), status, replyCode, ruleId, provider);
}
