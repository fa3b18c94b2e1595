using Hikyaku.Contracts.Events;

namespace Hikyaku.Contracts.Model;

/// <summary>One batch for one SMTP connection group: one message (broadcast issue or story), one sending IP, one MX target.</summary>
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
    [property: Id(8)] int MaxConnections);

/// <summary>The outcome of one message of a batch, as a value that crosses grain calls; the reply classified.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.smtp-attempt")]
public sealed record SmtpAttempt(
    [property: Id(0)] string Recipient,
    [property: Id(1)] string MessageId,
    [property: Id(2)] ReplyRecord Reply,
    [property: Id(3)] string Transcript);
