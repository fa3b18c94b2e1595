using System.Text;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Reads the "field: value" groups of an RFC 3464 message/delivery-status body (section 2.1): a
/// per-message group, then one group per recipient, separated by blank lines. Folded lines
/// (RFC 5322 2.2.3) are unfolded. Lenient: broken lines are skipped, never thrown on.
/// </summary>
internal static class DsnFields
{
    /// <summary>The groups in order; field names are case-insensitive.</summary>
    public static List<Dictionary<string, string>> ReadGroups(string content)
    {
        var groups = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? lastField = null;
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                current = null;
                lastField = null;
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (current is not null && lastField is not null)
                {
                    current[lastField] = current[lastField] + " " + line.Trim();
                }

                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            current ??= NewGroup(groups);
            lastField = line[..colon].Trim();
            current[lastField] = line[(colon + 1)..].Trim();
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
    public static string Address(string value) => StripType(value).Trim('<', '>', ' ', '"');

    /// <summary>Collapses runs of whitespace into one space.</summary>
    public static string Squash(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static Dictionary<string, string> NewGroup(List<Dictionary<string, string>> groups)
    {
        var group = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        groups.Add(group);
        return group;
    }
}
