using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Hikyaku.Silo.Api;

/// <summary>
/// The paging parameters of list routes: <c>limit</c> (a whole number in a route's range; anything else is a 400
/// naming it, never silently clamped) and <c>next</c>, an opaque cursor that the previous page handed out.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Reads <paramref name="raw"/> as a limit from 1 to <paramref name="max"/>; null (absent) gives <paramref name="defaultLimit"/>.</summary>
    public static bool TryLimit(string? raw, Validate check, out int limit, int defaultLimit = DefaultLimit, int max = MaxLimit)
    {
        limit = defaultLimit;
        if (raw is null)
        {
            return true;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 || limit > max)
        {
            check.Add("limit", $"must be a whole number from 1 to {max}, not '{Shorten(raw)}'");
            limit = defaultLimit;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The cursor after a page, from up to <paramref name="limit"/> + 1 keys fetched: null when there were no more than
    /// <paramref name="limit"/> (the page was the last), else one that resumes after the page's last key.
    /// </summary>
    public static string? Next(IReadOnlyList<string> fetched, int limit) =>
        fetched.Count <= limit ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(fetched[limit - 1]));

    /// <summary>Reads a cursor from <see cref="Next"/>; null (absent) means the first page.</summary>
    public static bool TryCursor(string? next, Validate check, out string? after)
    {
        after = null;
        if (next is null)
        {
            return true;
        }

        try
        {
            after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(next));
            return true;
        }
        catch (FormatException)
        {
            check.Add("next", "is not a cursor this API handed out (take it from the previous page's 'next')");
            return false;
        }
    }

    private static string Shorten(string raw) => raw.Length <= 20 ? raw : raw[..20] + "…";
}
