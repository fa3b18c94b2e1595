using System.Globalization;
using System.Text;

namespace Hikyaku.Silo.Api;

/// <summary>The query parameters of paged lists: <c>limit</c> (1..1000, default 100) and an opaque keyset cursor <c>next</c>.</summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The page size asked for, or the default; a value that is not a whole number in 1..1000 is a problem naming <c>limit</c>.</summary>
    public static int Limit(Validate check, string? limit)
    {
        if (limit is null)
        {
            return DefaultLimit;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit)
        {
            return n;
        }

        check.Add("limit", $"must be a whole number from 1 to {MaxLimit}, not '{(limit.Length > 20 ? limit[..20] + "…" : limit)}'");
        return DefaultLimit;
    }

    /// <summary>A cursor for a keyset position (a row's key): base64url, so it is opaque and safe in a query string.</summary>
    public static string Cursor(string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key a cursor holds; a value this API did not hand out is a problem naming <c>next</c>.</summary>
    public static string? After(Validate check, string? next)
    {
        if (string.IsNullOrEmpty(next))
        {
            return null;
        }

        try
        {
            var base64 = next.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            check.Add("next", "is not a cursor this list returned");
            return null;
        }
    }
}
