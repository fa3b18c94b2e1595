namespace Hikyaku.Domain.Validation;

/// <summary>
/// Text that ends up in a mail header (subject, from name): a CR or LF would let a caller inject headers
/// (RFC 5322 2.2), so they are refused, as are other control characters.
/// </summary>
public static class HeaderText
{
    public static bool IsValid(string? value, int maxLength, bool required, out string error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error = required ? "is required" : string.Empty;
            return !required;
        }

        if (value.Contains('\r') || value.Contains('\n'))
        {
            error = "must not contain CR or LF (header injection)";
            return false;
        }

        if (value.Any(c => char.IsControl(c) && c != '\t'))
        {
            error = "must not contain control characters";
            return false;
        }

        if (value.Length > maxLength)
        {
            error = $"is longer than {maxLength} characters";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
