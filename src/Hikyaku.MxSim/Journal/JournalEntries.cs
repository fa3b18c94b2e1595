using System.Net;

namespace Hikyaku.MxSim.Journal;

/// <summary>One recipient of one message a simulated provider accepted: the ground truth a delivery test checks against.</summary>
/// <param name="Provider">The provider's catalog name.</param>
/// <param name="Recipient">The RCPT TO address.</param>
/// <param name="Sender">The MAIL FROM address (empty for the null reverse path).</param>
/// <param name="MessageId">The Message-ID header without angle brackets, or null when the message had none.</param>
/// <param name="Subject">The decoded Subject header, or null.</param>
/// <param name="SourceIp">The client's address as the provider saw it (the sender's bound source IP).</param>
/// <param name="Time">When the final dot was accepted, from the provider's <see cref="TimeProvider"/>.</param>
/// <param name="Size">The message size in bytes as received.</param>
/// <param name="Content">The message as received, when the journal keeps content (<see cref="DeliveryJournal.KeepContent"/>).</param>
/// <param name="RecipientAsSent">
/// The RCPT TO forward-path exactly as the client wrote it, quotes included (<c>"taro..hanako"@docomo.ne.jp</c>), where
/// <paramref name="Recipient"/> is the mailbox as parsed (<c>taro..hanako@docomo.ne.jp</c>).
/// </param>
public sealed record AcceptedMessage(
    string Provider,
    string Recipient,
    string Sender,
    string? MessageId,
    string? Subject,
    IPAddress SourceIp,
    DateTimeOffset Time,
    long Size,
    byte[]? Content = null,
    string? RecipientAsSent = null);

/// <summary>A refusal a simulated provider gave, or a connection it dropped.</summary>
/// <param name="Provider">The provider's catalog name.</param>
/// <param name="Stage">Where the session was refused.</param>
/// <param name="SourceIp">The client's address.</param>
/// <param name="Sender">The MAIL FROM address, when known at that stage.</param>
/// <param name="Recipient">The recipient refused, when the refusal concerns one.</param>
/// <param name="Code">The reply code, or 0 when the connection was dropped without a reply.</param>
/// <param name="Reply">The whole reply as sent (<c>code text</c> lines joined by newlines), empty for a drop.</param>
/// <param name="Time">When, from the provider's <see cref="TimeProvider"/>.</param>
public sealed record RejectedAttempt(
    string Provider,
    SmtpStage Stage,
    IPAddress SourceIp,
    string? Sender,
    string? Recipient,
    int Code,
    string Reply,
    DateTimeOffset Time)
{
    /// <summary>True when the connection was closed without a reply.</summary>
    public bool Dropped => Code == 0;
}
