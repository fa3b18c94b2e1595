using System.Globalization;

namespace Hikyaku.Domain.Validation;

/// <summary>
/// Validates and normalises a reader's address. The whole address is lower-cased (mail-magazine readers are
/// identified case-insensitively in practice) and an internationalised domain is turned into its A-label.
/// The local part follows RFC 5322 dot-atom characters, but tolerates leading, trailing and consecutive dots:
/// docomo and au issued such addresses for years (e.g. <c>taro..yamada@docomo.ne.jp</c>) and still deliver to them.
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
        if (local.Length > 64)
        {
            error = "has a local part longer than 64 characters (RFC 5321 4.5.3.1.1)";
            return false;
        }

        if (local.All(c => c == '.') || !local.All(c => c < 128 && (char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c))))
        {
            error = "has characters that are not allowed in the local part";
            return false;
        }

        if (!TryNormalizeDomain(value[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        normalized = local.ToLowerInvariant() + "@" + domain;
        return true;
    }

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
