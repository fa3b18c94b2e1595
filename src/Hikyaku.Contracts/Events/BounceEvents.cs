namespace Hikyaku.Contracts.Events;

/// <summary>
/// A bounce (DSN) or a complaint (ARF feedback report) that came back for one message after the receiving server
/// had accepted it: the asynchronous counterpart of a refusal in the SMTP session, on the reader's stream.
/// </summary>
/// <param name="BounceId">The received message's identity (its Message-ID, else a hash of its bytes): the same report twice is one event.</param>
/// <param name="Kind"><c>bounce</c> or <c>complaint</c> (<see cref="Model.BounceKinds"/>).</param>
/// <param name="MessageKey">The message that bounced: <c>b:{broadcastId}</c> or <c>s:{storyId}</c>.</param>
/// <param name="Reason">The classifier's reason (<c>userunknown</c>, <c>mailboxfull</c>, <c>feedback</c>, ...).</param>
/// <param name="Status">The enhanced status code (RFC 3463) the report gave, or null.</param>
/// <param name="ReplyCode">The remote server's SMTP reply code, 0 when the report gave none.</param>
/// <param name="Action">The action class: <c>address-dead</c>, <c>address-soft</c>, <c>sender-blocked</c>, ...</param>
/// <param name="Rule">The classifier rule that decided, or null.</param>
/// <param name="Diagnostic">The remote server's words (Diagnostic-Code or the bounce text), or the feedback type.</param>
/// <param name="Via">How the report came in: <c>smtp</c> (the bounce listener) or <c>imap</c> (the polled mailbox).</param>
/// <param name="Result">What it did to the reader: <c>error-stopped</c>, <c>bounced</c> (recorded only) or <c>complaint</c>.</param>
[GenerateSerializer]
public sealed record ReaderBounceReceived(
    Guid EventId,
    DateTimeOffset At,
    string BounceId,
    string Kind,
    string MessageKey,
    string Reason,
    string? Status,
    int ReplyCode,
    bool Hard,
    string Action,
    string? Rule,
    string Diagnostic,
    string Via,
    string Result) : ReaderEvent(EventId, At);

/// <summary>A reader of this tenant complained (ARF feedback report): counts in the tenant's complaint rate.</summary>
/// <param name="ComplaintId">The report's identity, as the reader's <see cref="ReaderBounceReceived.BounceId"/>.</param>
[GenerateSerializer]
public sealed record TenantComplaintRecorded(
    Guid EventId,
    DateTimeOffset At,
    string ComplaintId,
    string MagazineId,
    string Email,
    string MessageKey) : TenantEvent(EventId, At);
