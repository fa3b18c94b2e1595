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

    /// <summary>Nothing recognisable, or the message could not be parsed.</summary>
    Unknown,
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
