using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Hikyaku.Bounces.Rules;

/// <summary>
/// A cheap necessary condition for a rule's pattern: words that any match must contain, read from
/// the pattern itself (<c>mail ?box full|over ?quota</c> needs "box full" or "quota"). Most texts
/// match no rule, and one vectorised search per rule tells that far sooner than the regex does:
/// some patterns (a literal before an alternation, many branches with different first letters) make
/// .NET's regex search try almost every position. Only a filter: a text that has the words still
/// goes through the regex, so every verdict is the regex's own. A pattern the reader cannot follow
/// with certainty gets no filter.
/// </summary>
internal static class RequiredWords
{
    // Shorter words would pass almost every text; the filter would only add a search.
    private const int MinimumLength = 3;

    /// <summary>The words, any one of which a match must contain (ASCII, any case); null when none are known.</summary>
    public static SearchValues<string>? Of(Regex regex)
    {
        ArgumentNullException.ThrowIfNull(regex);
        if ((regex.Options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.ECMAScript | RegexOptions.RightToLeft)) != 0)
        {
            return null;
        }

        var words = new PatternWords(regex.ToString()).Read();
        return words is not null && PatternWords.Shortest(words) >= MinimumLength
            ? SearchValues.Create(words, StringComparison.OrdinalIgnoreCase)
            : null;
    }

    /// <summary>
    /// False only when the text cannot match. Non-ASCII text always passes: case-insensitive regexes
    /// equate some ASCII letters with other characters (k with the Kelvin sign) that an ordinal
    /// comparison does not.
    /// </summary>
    public static bool MayMatch(SearchValues<string>? words, string text) =>
        words is null || !Ascii.IsValid(text) || text.AsSpan().ContainsAny(words);
}
