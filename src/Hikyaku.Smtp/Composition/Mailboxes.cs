using MimeKit;

namespace Hikyaku.Smtp.Composition;

/// <summary>
/// Writes a stored address the way the standards want it on the wire. Readers are stored as <c>local@domain</c>
/// without quotes; a local part that is not a dot-atom (the docomo and au addresses issued until 2009:
/// <c>taro..hanako</c>, <c>taro.</c>, <c>.taro</c>) must be a quoted string both in RCPT TO (RFC 5321 §4.1.2,
/// <c>Local-part = Dot-string / Quoted-string</c>) and in the To header (RFC 5322 §3.4.1), so it goes out as
/// <c>"taro..hanako"@docomo.ne.jp</c>, as the carriers receive it. A dot-atom stays unquoted (RFC 5321 §4.1.2: a
/// local part that can be a dot-string should be sent as one).
/// </summary>
public static class Mailboxes
{
    private const string AtextSpecials = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>The address with its local part quoted when it is not a dot-atom; an already quoted one is kept.</summary>
    /// <exception cref="FormatException">
    /// There is no local part, or it holds a character no quoted string of an SMTP envelope can carry: a control
    /// character, or a non-ASCII one (that would need SMTPUTF8, RFC 6531, which Hikyaku does not use).
    /// </exception>
    public static string ForWire(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            throw new FormatException($"'{address}' has no local part.");
        }

        var local = address[..at];
        if (IsDotAtom(local) || (local.Length >= 2 && local[0] == '"' && local[^1] == '"'))
        {
            return address;
        }

        foreach (var c in local)
        {
            // RFC 5321 §4.1.2: qtextSMTP and quoted-pairSMTP are printable ASCII (32–126) only.
            if (c is < ' ' or > '~')
            {
                throw new FormatException(c > '~'
                    ? $"the local part of '{address}' is not ASCII and would need SMTPUTF8 (RFC 6531)"
                    : $"the local part of '{address}' holds a control character (U+{(int)c:X4}) that no SMTP envelope can carry");
            }
        }

        return $"\"{local.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"{address[at..]}";
    }

    /// <summary>The mailbox for <paramref name="address"/> (see <see cref="ForWire"/>), with an optional display name.</summary>
    /// <exception cref="FormatException">See <see cref="ForWire"/>.</exception>
    /// <exception cref="ParseException">MimeKit refuses the address (a malformed domain, say).</exception>
    public static MailboxAddress Create(string address, string? name = null) => new(name ?? string.Empty, ForWire(address));

    /// <summary>RFC 5322 §3.2.3: atext characters in groups separated by single dots, none at either end.</summary>
    public static bool IsDotAtom(string local)
    {
        if (local.Length == 0 || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (c != '.' && !(char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c)))
            {
                return false;
            }
        }

        return true;
    }
}
