using System.Buffers;
using System.Text;

namespace Hikyaku.Bounces.Rules;

/// <summary>
/// Reads .NET regex syntax far enough to know which literal text every match holds: an alternation
/// needs one of its branches' words, a sequence the words of any one of its elements (the choice
/// whose shortest word is longest is kept), an element that may occur zero times nothing. Anything
/// it does not know for certain (inline options, \x escapes, back-references) makes it give up.
/// </summary>
internal sealed class PatternWords(string pattern)
{
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private int at;
    private bool failed;

    /// <summary>The words, one of which every match contains; null when none are known.</summary>
    public string[]? Read()
    {
        var words = Alternation();
        return failed || at != pattern.Length ? null : words;
    }

    public static int Shortest(string[] words) => words.Min(w => w.Length);

    private string[]? Alternation()
    {
        var union = new List<string>();
        var known = true;
        while (true)
        {
            var branch = Sequence();
            known &= branch is not null;
            union.AddRange(branch ?? []);
            if (at >= pattern.Length || pattern[at] != '|')
            {
                return known ? [.. union.Distinct(StringComparer.OrdinalIgnoreCase)] : null;
            }

            at++;
        }
    }

    private string[]? Sequence()
    {
        string[]? best = null;
        var run = new StringBuilder();
        while (!failed && at < pattern.Length && pattern[at] is not ('|' or ')'))
        {
            var (literal, words) = Atom();
            var (min, once) = Quantifier();
            if (literal is { } c && min > 0)
            {
                run.Append(c);
            }

            // A literal run ends where an element is not exactly one literal: "ab+c" holds "ab" and "c", not "abc".
            if (literal is null || !once)
            {
                Keep(ref best, Flush(run));
            }

            if (literal is null && min > 0)
            {
                Keep(ref best, words);
            }
        }

        Keep(ref best, Flush(run));
        return best;
    }

    private static string[]? Flush(StringBuilder run)
    {
        if (run.Length == 0)
        {
            return null;
        }

        string[] word = [run.ToString()];
        run.Clear();
        return word;
    }

    private static void Keep(ref string[]? best, string[]? candidate)
    {
        if (candidate is not null && (best is null || Shortest(candidate) > Shortest(best)))
        {
            best = candidate;
        }
    }

    // One element: a literal character, or the words a group guarantees (a class, an anchor or a
    // non-ASCII character guarantees none).
    private (char? Literal, string[]? Words) Atom()
    {
        var c = pattern[at++];
        switch (c)
        {
            case '(':
                return (null, Group());
            case '[':
                SkipClass();
                return (null, null);
            case '\\':
                return (Escape(), null);
            case '.' or '^' or '$':
                return (null, null);
            case '*' or '+' or '?' or '{':
                failed = true;
                return (null, null);
            default:
                return (char.IsAscii(c) && !char.IsControl(c) ? c : null, null);
        }
    }

    private string[]? Group()
    {
        var lookaround = false;
        if (at < pattern.Length && pattern[at] == '?')
        {
            var rest = pattern.AsSpan(at + 1);
            if (rest.StartsWith(":") || rest.StartsWith(">"))
            {
                at += 2;
            }
            else if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
            {
                at += rest[0] == '<' ? 3 : 2;
                lookaround = true; // zero-width: what it sees need not be part of the match
            }
            else if (rest.Length > 1 && rest[0] is '<' or '\'' && char.IsAsciiLetter(rest[1]))
            {
                var close = rest[1..].IndexOfAnyExcept(NameChars) + 1;
                if (close <= 0 || rest[close] != (rest[0] == '<' ? '>' : '\''))
                {
                    failed = true; // a balancing group
                    return null;
                }

                at += close + 2;
            }
            else
            {
                failed = true; // inline options, comments, conditionals
                return null;
            }
        }

        var inner = Alternation();
        if (at >= pattern.Length || pattern[at] != ')')
        {
            failed = true;
            return null;
        }

        at++;
        return lookaround ? null : inner;
    }

    // The character an escape stands for, or null for an anchor or class without arguments
    // (\b, \s, \d...); anything with arguments or unknown (\x41, \p{L}, \1, \k<n>) gives up.
    private char? Escape()
    {
        if (at >= pattern.Length)
        {
            failed = true;
            return null;
        }

        var e = pattern[at++];
        if (!char.IsAsciiLetterOrDigit(e))
        {
            // Only ASCII counts as a word character: with IgnoreCase some other characters (the
            // Kelvin sign) match ASCII letters, which an ordinal search would miss.
            return char.IsAscii(e) && !char.IsControl(e) ? e : null;
        }

        failed |= !"bBAzZGsSdDwWtnrfvae".Contains(e);
        return null;
    }

    private void SkipClass()
    {
        var start = at;
        while (at < pattern.Length)
        {
            var c = pattern[at++];
            if (c == ']' && at - 1 > start && !(at - 2 == start && pattern[start] == '^'))
            {
                return; // a ']' first in the class is a member
            }

            if (c == '\\')
            {
                at = at < pattern.Length && pattern[at] is 'p' or 'P' ? pattern.IndexOf('}', at) + 1 : at + 1;
                if (at <= 0)
                {
                    break;
                }
            }
            else if (c == '-' && at < pattern.Length && pattern[at] == '[')
            {
                break; // class subtraction
            }
        }

        failed = true;
    }

    // How often the element occurs at least, and whether exactly once.
    private (int Min, bool Once) Quantifier()
    {
        var q = at < pattern.Length ? pattern[at] : '\0';
        (int Min, bool Once) result;
        if (q is '*' or '?')
        {
            result = (0, false);
        }
        else if (q == '+')
        {
            result = (1, false);
        }
        else if (q == '{' && pattern.IndexOf('}', at) is var close and > 0 && Range(pattern.AsSpan(at + 1, close - at - 1)) is { } range)
        {
            result = range;
            at = close;
        }
        else
        {
            failed |= q == '{';
            return (1, true);
        }

        at++;
        if (at < pattern.Length && pattern[at] == '?')
        {
            at++; // lazy: the same range
        }

        return result;
    }

    // "{n}", "{n,}" or "{n,m}", digits only: anything else between braces is literal text to .NET.
    private static (int Min, bool Once)? Range(ReadOnlySpan<char> body)
    {
        var comma = body.IndexOf(',');
        var low = comma < 0 ? body : body[..comma];
        var high = comma < 0 ? body : body[(comma + 1)..];
        if (!Digits(low) || !(Digits(high) || (comma >= 0 && high.IsEmpty)) || !int.TryParse(low, out var min))
        {
            return null;
        }

        return (min, low.SequenceEqual("1") && high.SequenceEqual("1"));
    }

    private static bool Digits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');
}
