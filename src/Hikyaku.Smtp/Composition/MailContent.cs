using Hikyaku.Smtp.Dkim;

namespace Hikyaku.Smtp.Composition;

/// <summary>
/// What one broadcast issue or step story says, the same for every reader: the input of a
/// <see cref="MessageComposer"/>, which encodes it once.
/// </summary>
/// <param name="MessageKey">The key, <c>b:{broadcastId}</c> or <c>s:{storyId}</c>; with the reader it makes the Message-ID.</param>
/// <param name="FromAddress">The magazine's From address; its domain ends every Message-ID.</param>
/// <param name="FromName">The display name of the sender, or null.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="TextBody">The text/plain body.</param>
/// <param name="HtmlBody">The text/html alternative, or null for text only.</param>
/// <param name="TenantId">The tenant, for the Feedback-ID header.</param>
/// <param name="MagazineId">The magazine, for the Feedback-ID header.</param>
public sealed record MailContent(
    string MessageKey,
    string FromAddress,
    string? FromName,
    string Subject,
    string TextBody,
    string? HtmlBody,
    string TenantId,
    string MagazineId)
{
    /// <summary>The return path (MAIL FROM) for bounces; the From address when null.</summary>
    public string? EnvelopeFrom { get; init; }

    /// <summary>The tenant's DKIM key, or null to send unsigned.</summary>
    public DkimKey? Dkim { get; init; }

    /// <summary>
    /// The one-click unsubscribe endpoint the reader's token is appended to, e.g.
    /// <c>https://host/u/</c> (RFC 8058: an HTTPS URI that takes a POST), or null for no
    /// List-Unsubscribe header.
    /// </summary>
    public string? ListUnsubscribeBaseUrl { get; init; }

    /// <summary>An optional <c>mailto:</c> unsubscribe address offered beside the URL (RFC 2369).</summary>
    public string? ListUnsubscribeMailto { get; init; }
}
