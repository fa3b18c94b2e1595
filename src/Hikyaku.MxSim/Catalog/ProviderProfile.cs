namespace Hikyaku.MxSim.Catalog;

/// <summary>
/// What a simulated provider is, independent of where it listens: its name, the domains its MX
/// serves, the host name it shows in the session, and its replies.
/// </summary>
/// <param name="Name">Catalog key, e.g. <c>microsoft</c>, <c>google</c>, <c>yahoo-jp</c>.</param>
/// <param name="MxHost">The MX host name the provider announces (shown in the banner and EHLO).</param>
/// <param name="Domains">Recipient domains served by this provider's MX.</param>
/// <param name="ExplicitBlockStage">
/// Where the real provider answers a blocked IP: Microsoft at RCPT, Gmail and iCloud after DATA,
/// Yahoo at MAIL (TSS04 closes the session).
/// </param>
/// <param name="Replies">The provider's wording for each kind of refusal.</param>
/// <param name="DisguisedBlockStage">
/// Where a disguised block refuses every recipient with the user-unknown wording: at RCPT for most providers; after DATA for the
/// Japanese carriers, whose reception filter refuses an accepted recipient that way.
/// </param>
public sealed record ProviderProfile(
    string Name,
    string MxHost,
    IReadOnlyList<string> Domains,
    SmtpStage ExplicitBlockStage,
    ProviderReplies Replies,
    SmtpStage DisguisedBlockStage = SmtpStage.RcptTo);

/// <summary>The refusals a simulated provider can give, each in its own wording.</summary>
/// <param name="UserUnknown">Reply to RCPT for a mailbox that does not exist — and, in a disguised block, for every mailbox.</param>
/// <param name="ExplicitBlock">Reply naming the block (Microsoft S3150, Gmail 5.7.1, Yahoo TSS04, Apple through Proofpoint).</param>
/// <param name="RateLimited">Reply to MAIL once the per-minute budget of the source IP is spent (a 421 that closes the session).</param>
/// <param name="Greylisted">Reply to RCPT for a (source IP, sender, recipient) triplet not yet retried after the delay.</param>
public sealed record ProviderReplies(
    ReplyTemplate UserUnknown,
    ReplyTemplate ExplicitBlock,
    ReplyTemplate RateLimited,
    ReplyTemplate Greylisted);
