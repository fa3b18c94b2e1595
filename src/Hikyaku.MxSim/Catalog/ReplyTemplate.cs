using System.Net;

namespace Hikyaku.MxSim.Catalog;

/// <summary>
/// One SMTP reply as a provider words it: the basic code and the text lines (each line carrying the
/// enhanced status code where the provider sends one), with placeholders for the session's facts.
/// </summary>
/// <param name="Code">The three-digit reply code (RFC 5321 §4.2).</param>
/// <param name="Lines">The text of each reply line, without the code; more than one makes a multi-line reply.</param>
/// <param name="Source">Where the wording comes from (postmaster page, RFC, or "approximation").</param>
public sealed record ReplyTemplate(int Code, IReadOnlyList<string> Lines, string Source)
{
    /// <summary>Fills <c>{ip}</c>, <c>{rcpt}</c>, <c>{domain}</c> and <c>{sender}</c> into every line.</summary>
    public RenderedReply Render(IPAddress sourceIp, string? sender, string? recipient)
    {
        var ip = sourceIp.ToString();
        var domain = recipient is null ? "" : recipient[(recipient.LastIndexOf('@') + 1)..];
        var lines = new string[Lines.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = Lines[i]
                .Replace("{ip}", ip, StringComparison.Ordinal)
                .Replace("{rcpt}", recipient ?? "", StringComparison.Ordinal)
                .Replace("{domain}", domain, StringComparison.Ordinal)
                .Replace("{sender}", sender ?? "", StringComparison.Ordinal);
        }
        return new RenderedReply(Code, lines);
    }
}

/// <summary>A reply with its placeholders filled, ready to be written to the wire.</summary>
/// <param name="Code">The three-digit reply code.</param>
/// <param name="Lines">The text lines, without the code.</param>
public sealed record RenderedReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>The reply as the client reads it: <c>code text</c> per line, joined by newlines.</summary>
    public string Text => string.Join('\n', Lines.Select((line, i) => $"{Code}{(i < Lines.Count - 1 ? '-' : ' ')}{line}"));
}
