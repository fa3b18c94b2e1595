using Hikyaku.Contracts.Events;

namespace Hikyaku.Contracts.Model;

/// <summary>One reader to send one message to, as a lane carries it.</summary>
/// <param name="Page">Where the message's own counters keep this reader (a broadcast's audience page and the index in it).</param>
/// <param name="RecheckOf">The sending IP whose unknown-user or block reply this send checks from another lane (null for an ordinary send).</param>
/// <param name="HeldSince">When a block first held this reader for this message (null while it is not held); after
/// <c>Blocks:MaxHold</c> without a clean lane the message ends for it as <c>held-expired</c>.</param>
/// <param name="RefusedAt">When <paramref name="RecheckOf"/> refused this reader (a block's reply or an unknown-user one).</param>
[GenerateSerializer, Immutable, Alias("hikyaku.delivery-item")]
public sealed record DeliveryItem(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] MessageKey Message,
    [property: Id(3)] string Email,
    [property: Id(4)] int Page,
    [property: Id(5)] int Index,
    [property: Id(6)] int Attempt = 0,
    [property: Id(7)] DateTimeOffset NotBefore = default,
    [property: Id(8)] string? RecheckOf = null,
    [property: Id(9)] DateTimeOffset? HeldSince = null,
    [property: Id(10)] DateTimeOffset? RefusedAt = null);

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

/// <param name="DeliveredBefore">The reader's history has a message the provider accepted: an unknown-user reply for it
/// now is evidence of a block, not of a dead address.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.prepare-result")]
public sealed record PrepareResult(
    [property: Id(0)] PrepareVerdict Verdict,
    [property: Id(1)] string? FinalResult,
    [property: Id(2)] string? Reason,
    [property: Id(3)] bool DeliveredBefore = false);

/// <summary>What the lane's judge decided for one reader of a batch.</summary>
public enum VerdictKind
{
    /// <summary>The provider took the message.</summary>
    Delivered,

    /// <summary>Try again later (a 4xx, a rate limit, Hikyaku's own failure to connect).</summary>
    Retry,

    /// <summary>The provider is blocking the sending IP: not the reader's fault; retried from a clean IP or after the cooldown.</summary>
    Hold,

    /// <summary>The address is unknown from a clean lane: エラー停止.</summary>
    Dead,

    /// <summary>Refused for good for this message (content, policy, expired); the reader is kept.</summary>
    Bounced,

    /// <summary>Hikyaku could not build this reader's message; final for this message, the reader kept.</summary>
    Failed,
}

/// <summary>A reader's verdict with its evidence: the classification of the reply, the reason shown, and the block that held it.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.delivery-verdict")]
public sealed record DeliveryVerdict(
    [property: Id(0)] VerdictKind Kind,
    [property: Id(1)] string Classification,
    [property: Id(2)] string? Reason,
    [property: Id(3)] string? BlockId = null)
{
    /// <summary>The result as the reader's history and the message's counters record it (<see cref="RecipientResults"/>).</summary>
    public string Result => Kind switch
    {
        VerdictKind.Delivered => RecipientResults.Delivered,
        VerdictKind.Retry => RecipientResults.Deferred,
        VerdictKind.Hold => RecipientResults.Held,
        VerdictKind.Dead => RecipientResults.ErrorStopped,
        VerdictKind.Failed => RecipientResults.Failed,
        _ => RecipientResults.Bounced,
    };
}

/// <summary>An attempt and its verdict as the lane hands them to the reader's grain, which records them.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.attempt-report")]
public sealed record AttemptReport(
    [property: Id(0)] MessageKey Message,
    [property: Id(1)] string MessageId,
    [property: Id(2)] string SourceIp,
    [property: Id(3)] string MxHost,
    [property: Id(4)] ReplyRecord Reply,
    [property: Id(5)] string Transcript,
    [property: Id(6)] int Attempt,
    [property: Id(7)] DeliveryVerdict Verdict);

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
    [property: Id(2)] MessageKey MessageKey,
    [property: Id(3)] string FromAddress,
    [property: Id(4)] string? FromName,
    [property: Id(5)] string Subject,
    [property: Id(6)] string TextBody,
    [property: Id(7)] string? HtmlBody);
