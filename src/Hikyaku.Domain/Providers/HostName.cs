namespace Hikyaku.Domain.Providers;

/// <summary>DNS host name helpers shared by the catalog and the site rollup.</summary>
public static class HostName
{
    // Second-level labels under a two-letter country code that are themselves public suffixes
    // (co.jp, ne.jp, or.jp, co.uk, com.au…): the registrable name sits one label further left.
    private static readonly HashSet<string> CountrySecondLevels = new(StringComparer.Ordinal)
    {
        "ac", "ad", "co", "com", "ed", "edu", "go", "gov", "gr", "lg", "ne", "net", "or", "org",
    };

    /// <summary>Lower case, without the trailing root dot.</summary>
    public static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>
    /// The registrable-ish parent of a host: <c>mx1.example-isp.net</c> → <c>example-isp.net</c>,
    /// <c>mx.example.co.jp</c> → <c>example.co.jp</c>. Not the full Public Suffix List: enough to
    /// put the MX hosts of one ISP into one site.
    /// </summary>
    public static string RegistrableParent(string hostName)
    {
        var labels = Normalize(hostName).Split('.');
        var keep = labels.Length >= 3 && labels[^1].Length == 2 && CountrySecondLevels.Contains(labels[^2]) ? 3 : 2;
        return string.Join('.', labels.Length <= keep ? labels : labels[^keep..]);
    }
}
