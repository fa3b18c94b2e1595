namespace Hikyaku.Contracts.Model;

/// <summary>The kinds of late report the bounce intake records on a reader.</summary>
public static class BounceKinds
{
    /// <summary>A delivery status notification (RFC 3464) or an MTA's own bounce text.</summary>
    public const string Bounce = "bounce";

    /// <summary>An abuse / feedback report (RFC 5965 ARF): the reader marked the message as spam.</summary>
    public const string Complaint = "complaint";

    /// <summary>A delay warning (DSN <c>Action: delayed</c>): the message is still being tried; recorded, nothing else.</summary>
    public const string Delayed = "delayed";

    /// <summary>A challenge-response request (prove you are human, whitelist us): recorded for the operator to see.</summary>
    public const string Challenge = "challenge";

    /// <summary>Whether a report of this kind says the message failed (a bounce, not a delay, a challenge or a complaint).</summary>
    public static bool IsFailure(string kind) => kind == Bounce;
}

/// <summary>
/// A classified late report for one reader and message, as the bounce intake hands it to the reader's grain.
/// The fields are those of <see cref="Events.ReaderBounceReceived"/>, less what the reader decides.
/// </summary>
[GenerateSerializer, Alias("hikyaku.bounce-notice")]
public sealed record BounceNotice(
    [property: Id(0)] string BounceId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string MessageKey,
    [property: Id(3)] string Reason,
    [property: Id(4)] string? Status,
    [property: Id(5)] int ReplyCode,
    [property: Id(6)] bool Hard,
    [property: Id(7)] string Action,
    [property: Id(8)] string? Rule,
    [property: Id(9)] string Diagnostic,
    [property: Id(10)] string Via);

/// <summary>What a reader made of a late report.</summary>
public enum BounceRecordOutcome
{
    /// <summary>Recorded on the reader's history (and acted on).</summary>
    Recorded,

    /// <summary>This report was already recorded: nothing changed.</summary>
    Duplicate,

    /// <summary>No such reader (never subscribed): nothing recorded.</summary>
    NoReader,
}

/// <param name="ErrorStopped">The report error-stopped the reader (a dead address).</param>
/// <param name="Unsubscribed">The report unsubscribed the reader (a complaint).</param>
[GenerateSerializer, Alias("hikyaku.bounce-record-result")]
public sealed record BounceRecordResult(
    [property: Id(0)] BounceRecordOutcome Outcome,
    [property: Id(1)] bool ErrorStopped,
    [property: Id(2)] bool Unsubscribed);

/// <summary>A tenant's complaints: the total, per message, and the latest few.</summary>
/// <param name="ByMessage">Message key → complaints about it.</param>
[GenerateSerializer, Alias("hikyaku.complaint-summary")]
public sealed record ComplaintSummary(
    [property: Id(0)] int Total,
    [property: Id(1)] IReadOnlyDictionary<string, int> ByMessage,
    [property: Id(2)] IReadOnlyList<ComplaintView> Latest);

[GenerateSerializer, Alias("hikyaku.complaint-view")]
public sealed record ComplaintView(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] string Email,
    [property: Id(3)] string MessageKey);
