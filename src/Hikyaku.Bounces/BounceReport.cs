namespace Hikyaku.Bounces;

/// <summary>What kind of message a parsed report turned out to be.</summary>
public enum BounceKind
{
    /// <summary>A delivery failure (RFC 3464 DSN or an MTA's own bounce text).</summary>
    Bounce,

    /// <summary>An automatic reply such as a vacation notice (RFC 3834); not a failure.</summary>
    AutoReply,

    /// <summary>A complaint / abuse feedback report (RFC 5965 ARF); not a failure.</summary>
    Feedback,

    /// <summary>A success DSN (Action: delivered / relayed / expanded).</summary>
    Delivered,

    /// <summary>The message could not be parsed, or names no recipient a bounce would be about.</summary>
    Unknown,

    /// <summary>A delay warning (RFC 3464 <c>Action: delayed</c>, or an MTA's "still trying" notice): the reader waits, nothing else.</summary>
    Delayed,

    /// <summary>A challenge-response request (Boxbe, Bluebottle, a whitelist request): shown to the operator, never a failure.</summary>
    Challenge,

    /// <summary>Ordinary mail at the return path (a reply by hand, a newsletter, "hello"): nothing to act on.</summary>
    NotABounce,
}

/// <summary>Wire names of <see cref="BounceKind"/> and what each asks of a reader.</summary>
public static class BounceKindNames
{
    private static readonly string[] Names = ["bounce", "auto-reply", "complaint", "delivered", "unknown", "delayed", "challenge", "not-a-bounce"];

    /// <summary>The wire name, e.g. <c>auto-reply</c>.</summary>
    public static string Name(this BounceKind kind) => Names[(int)kind];

    /// <summary>True only for a delivery failure: every other kind leaves the reader's status as it is (a complaint is handled on its own).</summary>
    public static bool IsFailure(this BounceKind kind) => kind == BounceKind.Bounce;
}

/// <summary>One recipient named in a report.</summary>
/// <param name="Recipient">The address (Final-Recipient, or as the bounce text names it); empty when none was found.</param>
/// <param name="Status">The enhanced status code (RFC 3463) for this recipient, or null.</param>
/// <param name="ReplyCode">The remote SMTP reply code, 0 when none.</param>
/// <param name="DiagnosticText">The remote server's words (Diagnostic-Code or the bounce text), trimmed.</param>
/// <param name="Classification">The verdict.</param>
public sealed record BounceRecipient(string Recipient, string? Status, int ReplyCode, string DiagnosticText, Classification Classification);

/// <summary>The result of parsing one message that came back to the sender.</summary>
/// <param name="Kind">Bounce, auto-reply, feedback, delivered, or unknown.</param>
/// <param name="Recipients">Recipients with their classification; may be empty for <see cref="BounceKind.Unknown"/>.</param>
/// <param name="Error">Why the message could not be read, when it could not; null otherwise.</param>
public sealed record BounceReport(BounceKind Kind, IReadOnlyList<BounceRecipient> Recipients, string? Error = null)
{
    /// <summary>A report for input that could not be parsed at all.</summary>
    public static BounceReport Unreadable(string error) => new(BounceKind.Unknown, [], error);
}
