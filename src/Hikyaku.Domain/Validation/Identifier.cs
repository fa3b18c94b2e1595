namespace Hikyaku.Domain.Validation;

/// <summary>
/// Ids chosen by the caller (tenant, magazine, step): 1–64 of <c>a-z A-Z 0-9 _ -</c>, starting with a letter or digit.
/// They become parts of grain keys and stream ids, where <c>/</c> and <c>:</c> are separators.
/// </summary>
public static class Identifier
{
    public static bool IsValid(string? id, out string error)
    {
        if (string.IsNullOrEmpty(id))
        {
            error = "is required";
            return false;
        }

        if (id.Length > 64)
        {
            error = "is longer than 64 characters";
            return false;
        }

        if (!char.IsAsciiLetterOrDigit(id[0]) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            error = "may contain only letters, digits, '-' and '_', and must start with a letter or digit";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
