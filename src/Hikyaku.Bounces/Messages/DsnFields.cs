using System.Buffers;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Reads the "field: value" groups of an RFC 3464 message/delivery-status body (section 2.1): a
/// per-message group, then one group per recipient, separated by blank lines. Folded lines
/// (RFC 5322 2.2.3) are unfolded. Lenient: broken lines are skipped, never thrown on.
/// </summary>
internal static class DsnFields
{
    private static readonly SearchValues<char> WhiteSpace = SearchValues.Create(WhiteSpaceChars(withSpace: true));
    private static readonly char[] AddressQuotes = ['<', '>', ' ', '"'];
    private static readonly SearchValues<char> WhiteSpaceButSpace = SearchValues.Create(WhiteSpaceChars(withSpace: false));

    /// <summary>The groups in order; field names are case-insensitive.</summary>
    public static List<Dictionary<string, string>> ReadGroups(string content)
    {
        var groups = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? lastField = null;
        for (var start = 0; start <= content.Length;)
        {
            var end = content.IndexOf('\n', start);
            end = end < 0 ? content.Length : end;
            var line = content.AsSpan(start, end - start).TrimEnd('\r');
            start = end + 1;
            if (line.IsWhiteSpace())
            {
                current = null;
                lastField = null;
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (current is not null && lastField is not null)
                {
                    current[lastField] = string.Concat(current[lastField], " ", line.Trim());
                }

                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            current ??= NewGroup(groups);
            lastField = line[..colon].Trim().ToString();
            current[lastField] = line[(colon + 1)..].Trim().ToString();
        }

        return groups;
    }

    /// <summary>The value after the RFC 3464 "type;" prefix (<c>rfc822; a@b</c> → <c>a@b</c>), without angle brackets for addresses.</summary>
    public static string StripType(string value)
    {
        var semi = value.IndexOf(';');
        var rest = semi >= 0 && semi < 16 ? value[(semi + 1)..] : value;
        return rest.Trim();
    }

    /// <summary>An address value without the type and angle brackets.</summary>
    public static string Address(string value) => StripType(value).Trim(AddressQuotes);

    /// <summary>Collapses runs of whitespace into one space, and drops it at both ends.</summary>
    public static string Squash(string text) => IsSquashed(text) ? text : Squash(text, int.MaxValue);

    /// <summary>The first <paramref name="maxLength"/> characters of <see cref="Squash(string)"/> of the text, without squashing all of it.</summary>
    public static string Squash(ReadOnlySpan<char> text, int maxLength)
    {
        // Squashing never lengthens a text: each space stands for at least one white-space character.
        var capacity = Math.Min(text.Length, maxLength);
        char[]? rented = null;
        var buffer = capacity <= 512 ? stackalloc char[capacity] : (rented = ArrayPool<char>.Shared.Rent(capacity));
        var written = 0;
        while (written < maxLength && text.IndexOfAnyExcept(WhiteSpace) is var start and >= 0)
        {
            if (written > 0)
            {
                buffer[written++] = ' ';
            }

            text = text[start..];
            var end = text.IndexOfAny(WhiteSpace);
            end = end < 0 ? text.Length : end;
            var take = Math.Min(end, maxLength - written);
            text[..take].CopyTo(buffer[written..]);
            written += take;
            text = text[end..];
        }

        var squashed = new string(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return squashed;
    }

    // Most diagnostics are one line already: no white space but single spaces between words.
    private static bool IsSquashed(string text) =>
        text.AsSpan().IndexOfAny(WhiteSpaceButSpace) < 0 && !text.Contains("  ", StringComparison.Ordinal)
        && (text.Length == 0 || (text[0] != ' ' && text[^1] != ' '));

    // Exactly the characters char.IsWhiteSpace accepts, for vectorised searches that agree with it.
    private static char[] WhiteSpaceChars(bool withSpace) =>
        [.. Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(c => char.IsWhiteSpace(c) && (withSpace || c != ' '))];

    private static Dictionary<string, string> NewGroup(List<Dictionary<string, string>> groups)
    {
        // A recipient group has about half a dozen fields (RFC 3464 2.3); sized once, not grown.
        var group = new Dictionary<string, string>(8, StringComparer.OrdinalIgnoreCase);
        groups.Add(group);
        return group;
    }
}
