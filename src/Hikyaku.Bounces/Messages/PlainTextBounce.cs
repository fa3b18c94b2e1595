using System.Text.RegularExpressions;
using Hikyaku.Bounces.Rules;
using MimeKit;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Reads bounces that are not RFC 3464 reports (qmail, older Exim/Sendmail, Exchange 2003,
/// provider-specific notices): the failed recipients are the addresses the error text names
/// (or the X-Failed-Recipients header, or the returned original's To), and each recipient's
/// diagnostic is the text from its first mention up to the next recipient.
/// </summary>
internal static partial class PlainTextBounce
{
    // Kept once: a params array here was allocated again for every address mentioned.
    private static readonly char[] AddressQuotes = ['<', '>', '"', '\''];

    public static List<BounceRecipient> Read(MimeMessage message, MessageText text, RuleBook rules)
    {
        var recipients = FailedRecipients(message, text);
        var result = new List<BounceRecipient>(recipients.Count);
        var errorText = text.ErrorText;
        for (var i = 0; i < recipients.Count; i++)
        {
            var block = BlockFor(errorText, recipients, i);
            result.Add(RecipientClassifier.Classify(recipients[i], block, errorText, null, delayed: false, rules));
        }

        return result;
    }

    private static List<string> FailedRecipients(MimeMessage message, MessageText text)
    {
        var excluded = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in message.From.Mailboxes.Concat(message.To.Mailboxes))
        {
            excluded.Add(m.Address);
        }

        if (message.Headers["Return-Path"] is { } returnPath)
        {
            excluded.Add(returnPath.Trim().Trim('<', '>'));
        }

        // Exim names the failed recipients in a header; that list is authoritative.
        var found = new List<string>();
        foreach (var header in message.Headers.Where(h => h.Field.Equals("X-Failed-Recipients", StringComparison.OrdinalIgnoreCase)))
        {
            Add(found, [], header.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        if (found.Count == 0)
        {
            Add(found, excluded, AddressScanner.Scan(text.ErrorText));
        }

        if (found.Count == 0 && text.Original is { } original)
        {
            Add(found, excluded, original.To.Mailboxes.Select(m => m.Address));
        }

        if (found.Count == 0 && OriginalTo().Match(text.OriginalText) is { Success: true } to)
        {
            Add(found, excluded, [to.Groups["addr"].Value]);
        }

        return found;
    }

    private static void Add(List<string> found, HashSet<string> excluded, IEnumerable<string> candidates)
    {
        foreach (var raw in candidates)
        {
            var address = raw.Trim().Trim(AddressQuotes).TrimEnd('.');
            if (address.Contains('@') && !excluded.Contains(address) && !NotARecipient().IsMatch(address)
                && !found.Exists(f => string.Equals(f, address, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(address);
            }
        }
    }

    private static string BlockFor(string text, List<string> recipients, int index)
    {
        var start = text.IndexOf(recipients[index], StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return text;
        }

        start = text.LastIndexOf('\n', start) + 1;
        var end = text.Length;
        for (var j = 0; j < recipients.Count; j++)
        {
            var next = j == index ? -1 : text.IndexOf(recipients[j], start, StringComparison.OrdinalIgnoreCase);
            if (next > start && next < end && text.LastIndexOf('\n', next) + 1 > start)
            {
                end = text.LastIndexOf('\n', next) + 1;
            }
        }

        return text[start..end];
    }

    [GeneratedRegex(@"^(?:mailer-daemon|postmaster|mail-daemon|root|abuse|noreply|no-reply|double-bounce)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotARecipient();

    [GeneratedRegex(@"^\s*To:\s*(?:.*<)?(?<addr>[^<>\s,]+@[^<>\s,]+)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalTo();
}
