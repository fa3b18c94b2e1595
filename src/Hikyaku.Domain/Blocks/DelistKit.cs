using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Blocks;

/// <summary>The kinds of block a delist kit is made for (the names the block loop records).</summary>
public static class DelistBlockKinds
{
    /// <summary>The provider refused the IP in so many words.</summary>
    public const string Explicit = "explicit";

    /// <summary>The provider answered "user unknown" for mailboxes that exist, from this IP only.</summary>
    public const string Disguised = "disguised";

    /// <summary>The IP is listed on a DNS block list.</summary>
    public const string Dnsbl = "dnsbl";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlyList<string> All = [Explicit, Disguised, Dnsbl];
}

/// <summary>One provider reply a block was decided on, as its mail log line shows it.</summary>
/// <param name="At">When the reply came.</param>
/// <param name="Recipient">The reader's address.</param>
/// <param name="Code">The SMTP reply code.</param>
/// <param name="Enhanced">The enhanced status code (<c>5.5.0</c>), when the reply had one.</param>
/// <param name="Text">The reply's text (several lines are joined into one).</param>
/// <param name="Stage">Where in the session it came: <c>rcpt</c>, <c>data</c>, <c>mail</c>, <c>connect</c>…</param>
/// <param name="Transcript">The SMTP dialogue that got the reply (<c>C: </c>/<c>S: </c> lines), when it was kept.</param>
public sealed record DelistEvidence(DateTimeOffset At, string Recipient, int Code, string? Enhanced, string Text, string Stage, string? Transcript = null)
{
    /// <summary>A block's recorded evidence as a log line's parts.</summary>
    public static DelistEvidence From(BlockEvidence evidence) => new(
        evidence.At, evidence.Recipient, evidence.Reply.Code, evidence.Reply.Enhanced, evidence.Reply.Text,
        evidence.Reply.Stage.ToString().ToLowerInvariant(), evidence.Transcript);
}

/// <summary>The SMTP dialogue behind one log line of a kit: the line, and the dialogue's lines (control characters dropped).</summary>
public sealed record DelistTranscript(string LogLine, IReadOnlyList<string> Lines);

/// <summary>What a delist kit is built from.</summary>
/// <param name="SiteId">The provider site (<c>microsoft</c>, <c>docomo</c>, <c>example-isp.net</c>…); for a DNS block list listing, the
/// zone (<c>zen.spamhaus.org</c>) unless <paramref name="DnsblZone"/> names it.</param>
/// <param name="SourceIp">The blocked sending IP (IPv4 or IPv6).</param>
/// <param name="Kind">One of <see cref="DelistBlockKinds"/>.</param>
/// <param name="Since">When the block started (its first refusal, or the listing seen).</param>
/// <param name="DetectedAt">When Hikyaku decided it was a block.</param>
/// <param name="Until">When it ended or the cooldown ends; null while it goes on.</param>
/// <param name="SendingDomain">The tenant's sending domain, when known.</param>
/// <param name="Evidence">The replies, in any order.</param>
/// <param name="MaxLines">The most log lines the kit carries (the newest); the rest are counted as omitted.</param>
/// <param name="DnsblZone">For a DNS block list listing: the zone, when <paramref name="SiteId"/> is a provider.</param>
public sealed record DelistKitInput(
    string SiteId,
    string SourceIp,
    string Kind,
    DateTimeOffset Since,
    DateTimeOffset DetectedAt,
    DateTimeOffset? Until,
    string? SendingDomain,
    IReadOnlyList<DelistEvidence> Evidence,
    int MaxLines = DelistKitInput.DefaultMaxLines,
    string? DnsblZone = null)
{
    /// <summary>Log lines a kit carries unless told otherwise.</summary>
    public const int DefaultMaxLines = 20;
}

/// <summary>A page of the kit with the IP filled in where the page takes it.</summary>
/// <param name="Role">One of <see cref="DelistFormRoles"/>.</param>
/// <param name="TakesIp">The IP is in <paramref name="Url"/>.</param>
/// <param name="Fill">What to type into the form's fields, in order (IP and domain filled in).</param>
public sealed record DelistForm(LocalizedText Label, Uri Url, string Role, bool TakesIp, IReadOnlyList<LocalizedText> Fill);

/// <summary>A block's time window, in UTC and in Japan time (JST, UTC+09:00, which has no daylight saving).</summary>
public sealed record DelistWindow(DateTimeOffset Since, DateTimeOffset DetectedAt, DateTimeOffset? Until)
{
    /// <summary>Japan's offset from UTC.</summary>
    public static readonly TimeSpan JstOffset = TimeSpan.FromHours(9);

    /// <summary><see cref="Since"/> in JST.</summary>
    public DateTimeOffset SinceJst => Since.ToOffset(JstOffset);

    /// <summary><see cref="DetectedAt"/> in JST.</summary>
    public DateTimeOffset DetectedAtJst => DetectedAt.ToOffset(JstOffset);

    /// <summary><see cref="Until"/> in JST.</summary>
    public DateTimeOffset? UntilJst => Until?.ToOffset(JstOffset);
}

/// <summary>
/// Everything an operator needs to ask a provider to lift a block of a sending IP: where (the provider's forms with the IP
/// filled in, or whom to contact), how (steps and answers), and what to paste (<see cref="Text"/>, in Japanese and English,
/// with the IP, the window in UTC and JST, and the mail log lines).
/// </summary>
/// <param name="SiteId">The site (or DNS block list zone) the kit is for.</param>
/// <param name="EntryId">The catalog entry used: the site's id, the block list's id, or <c>default</c>.</param>
/// <param name="UsesDefault">No entry of its own: the kit says "contact the provider".</param>
/// <param name="Name">The provider's or list's name.</param>
/// <param name="Forms">Its pages, the ones fitting this block's replies first.</param>
/// <param name="Contact">Whom to contact when there is no form (or beside it).</param>
/// <param name="Steps">What to do, in order.</param>
/// <param name="Answers">The answers to give to the form's questions.</param>
/// <param name="TypicalTime">How long the provider usually takes.</param>
/// <param name="TestSendFirst">Send a test to a seed address before lifting the block.</param>
/// <param name="LogLines">The newest evidence lines, oldest first, in the mail log format.</param>
/// <param name="TotalLines">Evidence lines there were.</param>
/// <param name="OmittedLines">Older lines left out by the cap.</param>
/// <param name="Text">The text to paste into the form or mail.</param>
/// <param name="Source">The public pages the provider's facts come from.</param>
public sealed record DelistKit(
    string SiteId,
    string EntryId,
    bool UsesDefault,
    string Kind,
    string SourceIp,
    string? SendingDomain,
    LocalizedText Name,
    IReadOnlyList<DelistForm> Forms,
    LocalizedText? Contact,
    IReadOnlyList<LocalizedText> Steps,
    IReadOnlyList<DelistAnswer> Answers,
    LocalizedText TypicalTime,
    bool TestSendFirst,
    DelistWindow Window,
    IReadOnlyList<string> LogLines,
    int TotalLines,
    int OmittedLines,
    LocalizedText Text,
    IReadOnlyList<Uri> Source,
    IReadOnlyList<DelistTranscript>? Transcripts = null)
{
    /// <summary>Transcripts a kit carries (of its newest lines that have one).</summary>
    public const int MaxTranscripts = 3;

    /// <summary>The form to ask with first (the one fitting this block's replies), or null when the provider has none.</summary>
    public DelistForm? PrimaryForm => Forms.FirstOrDefault(f => f.Role == DelistFormRoles.Request);
}
