using Hikyaku.Contracts.Events;

namespace Hikyaku.Contracts.Model;

/// <summary>One reader to send one message to, as a lane carries it.</summary>
/// <param name="Page">The broadcast audience page and the reader's index in it (for the broadcast's counters).</param>
[GenerateSerializer, Immutable, Alias("hikyaku.delivery-item")]
public sealed record DeliveryItem(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] string BroadcastId,
    [property: Id(3)] string Email,
    [property: Id(4)] int Page,
    [property: Id(5)] int Index,
    [property: Id(6)] int Attempt = 0,
    [property: Id(7)] DateTimeOffset NotBefore = default);

/// <summary>What a reader's history says about sending it a message now.</summary>
public enum PrepareVerdict
{
    /// <summary>Send it.</summary>
    Send,

    /// <summary>The message already has a final result for this reader (a resumed page): report, don't resend.</summary>
    AlreadyFinal,

    /// <summary>The reader is not active (left, stopped, held, never subscribed): do not send.</summary>
    NotActive,
}

[GenerateSerializer, Immutable, Alias("hikyaku.prepare-result")]
public sealed record PrepareResult([property: Id(0)] PrepareVerdict Verdict, [property: Id(1)] string? FinalResult, [property: Id(2)] string? Reason);

/// <summary>An attempt's outcome as the lane hands it to the reader's grain.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.attempt-report")]
public sealed record AttemptReport(
    [property: Id(0)] string MessageKey,
    [property: Id(1)] string? BroadcastId,
    [property: Id(2)] string MessageId,
    [property: Id(3)] string SourceIp,
    [property: Id(4)] string MxHost,
    [property: Id(5)] ReplyRecord Reply,
    [property: Id(6)] string Transcript,
    [property: Id(7)] int Attempt,
    [property: Id(8)] bool LastAttempt);

/// <summary>What the reader's history made of an attempt: the result, and the bounce reason when it failed.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.attempt-result")]
public sealed record AttemptResult([property: Id(0)] string Result, [property: Id(1)] string? Reason);

[GenerateSerializer, Alias("hikyaku.broadcast-view")]
public sealed record BroadcastView(
    [property: Id(0)] string Id,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] string State,
    [property: Id(3)] int Total,
    [property: Id(4)] int Pending,
    [property: Id(5)] int Delivered,
    [property: Id(6)] int Deferred,
    [property: Id(7)] int Held,
    [property: Id(8)] IReadOnlyDictionary<string, int> Bounced,
    [property: Id(9)] int ErrorStopped,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? StartedAt,
    [property: Id(12)] DateTimeOffset? FinishedAt,
    [property: Id(13)] string Subject,
    [property: Id(14)] DateTimeOffset? SendAt);

/// <summary>The content lanes compose messages from; immutable once the broadcast exists.</summary>
[GenerateSerializer, Alias("hikyaku.mail-content")]
public sealed record MailContentView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] string MessageKey,
    [property: Id(3)] string FromAddress,
    [property: Id(4)] string? FromName,
    [property: Id(5)] string Subject,
    [property: Id(6)] string TextBody,
    [property: Id(7)] string? HtmlBody);
