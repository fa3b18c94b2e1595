using Hikyaku.Contracts.Events;

namespace Hikyaku.Contracts.Model;

/// <summary>One batch for one SMTP connection group: one message (broadcast issue or story), one sending IP, one MX target.</summary>
/// <param name="HaltAfterUnknown">When above zero, the batch halts (the rest is not offered, and comes back as not sent) at the
/// provider's first sender-blocked or rate-limit reply, or after this many unknown-user replies in a row: the lane has them judged first.</param>
/// <param name="Lane">The lane's key, when its batches share halts (a halt of one halts the others of its <paramref name="Epoch"/>).</param>
/// <param name="ViaRelay">Send through the tenant's relay (its sending settings: host, login, TLS); the target is the relay.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.smtp-work")]
public sealed record SmtpWork(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] MessageKey Message,
    [property: Id(3)] string SourceIp,
    [property: Id(4)] string MxHost,
    [property: Id(5)] string TargetHost,
    [property: Id(6)] int TargetPort,
    [property: Id(7)] IReadOnlyList<string> Recipients,
    [property: Id(8)] int MaxConnections,
    [property: Id(9)] int HaltAfterUnknown = 0,
    [property: Id(10)] string? Lane = null,
    [property: Id(11)] long Epoch = 0,
    [property: Id(12)] bool ViaRelay = false);

/// <summary>A test message (テスト送信) from one sending IP to one MX target, composed for <paramref name="TenantId"/>.</summary>
/// <param name="Purpose">Said in the message's subject and body, so the mailbox's owner knows why it came (a probe after a block).</param>
[GenerateSerializer, Immutable, Alias("hikyaku.smtp-test-work")]
public sealed record SmtpTestWork(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string SourceIp,
    [property: Id(2)] string MxHost,
    [property: Id(3)] string TargetHost,
    [property: Id(4)] int TargetPort,
    [property: Id(5)] IReadOnlyList<string> Recipients,
    [property: Id(6)] string? Purpose = null);

/// <summary>The outcome of one message of a batch, as a value that crosses grain calls; the reply classified.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.smtp-attempt")]
public sealed record SmtpAttempt(
    [property: Id(0)] string Recipient,
    [property: Id(1)] string MessageId,
    [property: Id(2)] ReplyRecord Reply,
    [property: Id(3)] string Transcript);
