namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Finds e-mail addresses in free bounce text by expanding around each '@': linear in the text,
/// where a regex over long tokens (base64, hashes) backtracks once per character.
/// </summary>
internal static class AddressScanner
{
    // RFC 5322 3.2.3 atext plus the dot; the domain is letters, digits, hyphens and dots.
    private const string LocalChars = "!#$%&'*+-/=?^_`{|}~.";

    // Addresses after these words are the sender, a help desk, or a message id, not a recipient.
    private static readonly string[] NotRecipientPrefixes = ["MAIL FROM:", "contact", "Message-ID:"];

    /// <summary>Addresses in order of first mention; one named as a help contact anywhere is left out everywhere.</summary>
    public static List<string> Scan(string text)
    {
        // Plain lists: LINQ over (string, bool) tuples runs on shared generic code whose array pool
        // lives in slow generic thread statics, and this runs for every bounce without a DSN.
        var found = new List<string>();
        HashSet<string>? excluded = null;
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            var start = at;
            while (start > 0 && IsLocal(text[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < text.Length && IsDomain(text[end]))
            {
                end++;
            }

            var domain = text.AsSpan(at + 1, end - at - 1).TrimEnd('.').TrimEnd('-');
            var local = text.AsSpan(start, at - start).TrimStart('.');
            if (local.Length == 0 || domain.IndexOf('.') <= 0)
            {
                continue;
            }

            var address = string.Concat(local, "@", domain);
            found.Add(address);
            if (FollowsExcludedWord(text, start))
            {
                (excluded ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(address);
            }
        }

        if (excluded is not null)
        {
            found.RemoveAll(excluded.Contains);
        }

        return found;
    }

    private static bool FollowsExcludedWord(string text, int start)
    {
        var before = text.AsSpan(0, start).TrimEnd("<\" \t\r\n");
        foreach (var prefix in NotRecipientPrefixes)
        {
            if (before.EndsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLocal(char c) => char.IsAsciiLetterOrDigit(c) || LocalChars.Contains(c);

    private static bool IsDomain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.';
}
