using System.Globalization;

namespace Hikyaku.Domain.Validation;

/// <summary>
/// Validates and normalises a reader's address. The whole address is lower-cased (mail-magazine readers are
/// identified case-insensitively in practice) and an internationalised domain is turned into its A-label.
/// The local part follows RFC 5322 dot-atom characters, but tolerates leading, trailing and consecutive dots:
/// docomo and au issued such addresses until 2009 (e.g. <c>taro..yamada@docomo.ne.jp</c>) and still deliver to them
/// when the local part is sent as a quoted string (<c>"taro..yamada"@docomo.ne.jp</c>), which the SMTP adapter does.
/// The quoted input form is accepted too and stored unquoted: both name one mailbox. Refused, because no message can
/// carry them: a non-ASCII local part (it would need SMTPUTF8, RFC 6531, which real delivery toward the carriers
/// cannot count on), spaces, control characters and the other specials a quoted string would allow.
/// </summary>
public static class EmailAddress
{
    private const string AtextSpecials = "!#$%&'*+-/=?^_`{|}~.";
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = string.Empty;
        var value = input?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = "is required";
            return false;
        }

        if (value.Length > 254)
        {
            error = "is longer than 254 characters (RFC 5321 4.5.3.1.3)";
            return false;
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.IndexOf('@') != at)
        {
            error = "must have the form local@domain";
            return false;
        }

        var local = value[..at];
        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            // "taro..hanako"@docomo.ne.jp names the same mailbox as taro..hanako@docomo.ne.jp: stored unquoted, and
            // quoted again where the standards require it when it is sent.
            local = local[1..^1];
        }

        if (!local.All(char.IsAscii))
        {
            error = "has a non-ASCII local part, which needs SMTPUTF8 (RFC 6531); Hikyaku sends without it, so the address cannot be delivered";
            return false;
        }

        if (local.Length == 0 || local.All(c => c == '.') || !local.All(c => char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c)))
        {
            error = "has characters that are not allowed in the local part (letters, digits, dots and !#$%&'*+-/=?^_`{|}~ only)";
            return false;
        }

        // The legacy carrier shapes go out as a quoted string, two characters longer (RFC 5321 4.5.3.1.1 and 4.5.3.1.3).
        var quotes = IsDotAtom(local) ? 0 : 2;
        if (local.Length + quotes > 64)
        {
            error = quotes == 0
                ? "has a local part longer than 64 characters (RFC 5321 4.5.3.1.1)"
                : "has a local part longer than 64 characters once quoted for sending (RFC 5321 4.5.3.1.1)";
            return false;
        }

        if (!TryNormalizeDomain(value[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        if (local.Length + quotes + 1 + domain.Length > 254)
        {
            error = "is longer than 254 characters once its local part is quoted for sending (RFC 5321 4.5.3.1.3)";
            return false;
        }

        normalized = local.ToLowerInvariant() + "@" + domain;
        return true;
    }

    /// <summary>
    /// Whether a local part is an RFC 5322 dot-atom (atext separated by single dots, none at either end). One that is
    /// not — the legacy carrier shapes <c>taro..hanako</c>, <c>taro.</c>, <c>.taro</c> — is sent as a quoted string.
    /// </summary>
    public static bool IsDotAtom(string local) =>
        local.Length > 0 && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal)
        && local.All(c => c == '.' || (c < 128 && (char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c))));

    /// <summary>The domain part of a normalised address.</summary>
    public static string DomainOf(string normalizedAddress) => normalizedAddress[(normalizedAddress.LastIndexOf('@') + 1)..];

    public static bool TryNormalizeDomain(string input, out string domain, out string error)
    {
        domain = string.Empty;
        string ascii;
        try
        {
            ascii = Idn.GetAscii(input.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "has an invalid domain";
            return false;
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2 || ascii.Length > 253)
        {
            error = "has an invalid domain (a domain needs at least two labels)";
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                error = "has an invalid domain label";
                return false;
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            error = "has an invalid domain (an address literal or numeric top-level domain is not accepted)";
            return false;
        }

        domain = ascii;
        error = string.Empty;
        return true;
    }
}
