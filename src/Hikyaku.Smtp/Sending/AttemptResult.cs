using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hikyaku.Bounces;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// What one attempt came to before it is tied to a message: a reply from the server, or a local
/// failure. MailKit's exception taxonomy is translated here, in one place, into values.
/// </summary>
internal sealed partial record AttemptResult(
    DeliveryOutcomeKind Kind,
    SmtpStage Stage,
    int Code,
    string? EnhancedCode,
    string Text,
    bool FromProvider,
    IReadOnlyList<string> Transcript)
{
    /// <summary>Not sent because the batch was halted (<see cref="DeliveryBatch.Halt"/>).</summary>
    public bool Halted { get; init; }

    /// <summary>The session cannot carry another message: a 421 (RFC 5321 §3.8) or a lost connection.</summary>
    public bool EndsSession => Code == 421 || Kind == DeliveryOutcomeKind.NotAttempted;

    /// <summary>The final reply to the message content (MailKit returns only 250 as success).</summary>
    public static AttemptResult Accepted(string reply, IReadOnlyList<string> transcript) =>
        Reply(DeliveryOutcomeKind.Accepted, SmtpStage.Data, 250, reply, transcript);

    /// <summary>Whether <paramref name="e"/> is an SMTP or network failure (an outcome), not a bug.</summary>
    public static bool IsDeliveryFailure(Exception e) => e is SmtpCommandException or ServiceNotAuthenticatedException or AuthenticationException
        or IOException or SocketException or ProtocolException or ServiceNotConnectedException or TimeoutException
        or OperationCanceledException or SslHandshakeException or MimeKit.ParseException or FormatException;

    /// <summary>Translates a failure MailKit threw; <paramref name="stage"/> is where the recorder saw the session.</summary>
    public static AttemptResult From(Exception e, SmtpStage stage, IReadOnlyList<string> transcript) => e switch
    {
        SmtpCommandException command => Reply(KindOf((int)command.StatusCode), StageOf(command.ErrorCode, stage), (int)command.StatusCode, command.Message, transcript),
        // 530: the server wants authentication before MAIL (RFC 4954); MailKit keeps the text only.
        ServiceNotAuthenticatedException auth => Reply(DeliveryOutcomeKind.Rejected, stage, 530, auth.Message, transcript),
        // 535: the relay refused the login (RFC 4954 §6); the sender's problem, retried, never the reader's.
        AuthenticationException login => Reply(DeliveryOutcomeKind.Rejected, SmtpStage.Connect, 535, $"5.7.8 relay authentication failed: {login.Message}", transcript),
        // An address MimeKit cannot parse never reaches the wire: Hikyaku's own permanent refusal.
        MimeKit.ParseException or FormatException => new(DeliveryOutcomeKind.Rejected, stage, 0, null, $"invalid address: {e.Message}", false, transcript),
        OperationCanceledException => Local(stage, "timed out waiting for the server", transcript),
        _ => Local(stage, $"{e.GetType().Name}: {e.Message}", transcript),
    };

    /// <summary>A failure on Hikyaku's side of the wire: retryable, and not the provider's word.</summary>
    public static AttemptResult Local(SmtpStage stage, string text, IReadOnlyList<string> transcript) =>
        new(DeliveryOutcomeKind.NotAttempted, stage, 0, null, text, false, transcript);

    /// <summary>This result for <paramref name="message"/> of <paramref name="batch"/>.</summary>
    public DeliveryOutcome For(OutboundMessage message, DeliveryBatch batch, DateTimeOffset at) =>
        new(message.Recipient, message.MessageKey, message.MessageId, Kind, Stage, Code, EnhancedCode, Text,
            FromProvider, batch.SourceIp, batch.MxHost, Transcript, at) { Halted = Halted };

    static AttemptResult Reply(DeliveryOutcomeKind kind, SmtpStage stage, int code, string text, IReadOnlyList<string> transcript)
    {
        var (enhanced, clean) = SplitEnhancedCode(text);
        return new(kind, stage, code, enhanced, clean, FromProvider: true, transcript);
    }

    static DeliveryOutcomeKind KindOf(int code) => code >= 500 ? DeliveryOutcomeKind.Rejected : DeliveryOutcomeKind.Deferred;

    static SmtpStage StageOf(SmtpErrorCode error, SmtpStage seen) => error switch
    {
        SmtpErrorCode.SenderNotAccepted => SmtpStage.Mail,
        SmtpErrorCode.RecipientNotAccepted => SmtpStage.Rcpt,
        SmtpErrorCode.MessageNotAccepted => SmtpStage.Data,
        _ => seen, // an unexpected code to the banner, EHLO or DATA
    };

    /// <summary>
    /// The enhanced status code (RFC 2034, RFC 3463) the reply starts with, and the text with that
    /// code taken off each line; MailKit joins the lines of a multi-line reply with <c>\n</c>.
    /// </summary>
    internal static (string? Enhanced, string Text) SplitEnhancedCode(string reply)
    {
        var match = EnhancedPrefix().Match(reply);
        if (!match.Success) return (null, reply.Trim());
        var code = match.Groups[1].Value;
        var lines = reply.Split('\n').Select(l => l.TrimEnd('\r'))
            .Select(l => l.StartsWith(code, StringComparison.Ordinal) && (l.Length == code.Length || l[code.Length] == ' ') ? l[code.Length..].TrimStart() : l);
        return (code, string.Join('\n', lines).Trim());
    }

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)")]
    private static partial Regex EnhancedPrefix();
}
