using System.Text.RegularExpressions;
using Hikyaku.Domain.Bounces;
using MimeKit;

namespace Hikyaku.Intake.Processing;

/// <summary>
/// Finds the VERP return path a report was sent back to, when no SMTP envelope says it (a polled mailbox): first
/// in the headers the delivering MTA adds (Delivered-To, X-Original-To, ...) and the report's own To, then in the
/// returned original message (its Return-Path, then any header), and last anywhere in the report's text
/// (non-standard bounces quote the original as text).
/// </summary>
internal sealed class ReturnPathFinder(ReturnPathToken tokens, string domain)
{
    private static readonly string[] DeliveryHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Original-Recipient", "To", "Cc"];

    private readonly Regex _pattern = new(
        $@"(?<![\w.+-]){ReturnPathToken.LocalPrefix}\+(?<token>[a-z2-7]{{8,1024}})@{Regex.Escape(domain.TrimEnd('.'))}(?![\w-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>What the search found: the return path, or the candidates that did not open (forged, altered, another secret).</summary>
    public sealed record Found(ReturnPath? Path, IReadOnlyList<string> Refused);

    public Found Find(MimeMessage message)
    {
        var refused = new List<string>();
        var path = FirstIn(DeliveryHeaders.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase))).Select(x => x.Value), refused)
            ?? FirstIn(Originals(message.Body).SelectMany(OriginalHeaders), refused)
            ?? FirstIn(Texts(message.Body), refused);
        return new Found(path, refused);
    }

    private ReturnPath? FirstIn(IEnumerable<string> texts, List<string> refused)
    {
        foreach (var text in texts)
        {
            foreach (Match match in _pattern.Matches(text))
            {
                if (tokens.TryRead(match.Groups["token"].Value, out var path))
                {
                    return path;
                }

                refused.Add(match.Value);
            }
        }

        return null;
    }

    private static IEnumerable<string> OriginalHeaders(HeaderList headers) =>
        headers.Where(h => h.Id == HeaderId.ReturnPath).Concat(headers.Where(h => h.Id != HeaderId.ReturnPath)).Select(h => h.Value);

    /// <summary>Header blocks of returned originals: message/rfc822, message/global and text/rfc822-headers parts (all MessageParts to MimeKit).</summary>
    private static IEnumerable<HeaderList> Originals(MimeEntity? entity)
    {
        switch (entity)
        {
            case MessagePart { Message: { } inner }:
                yield return inner.Headers;
                foreach (var nested in Originals(inner.Body))
                {
                    yield return nested;
                }

                break;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    foreach (var nested in Originals(child))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private static IEnumerable<string> Texts(MimeEntity? entity) => entity switch
    {
        TextPart part => [part.Text],
        Multipart multipart => multipart.SelectMany(Texts),
        MessagePart { Message: { } inner } => Texts(inner.Body),
        _ => [],
    };
}
