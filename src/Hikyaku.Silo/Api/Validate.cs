using System.Xml;
using Hikyaku.Domain.Validation;

namespace Hikyaku.Silo.Api;

/// <summary>Collects field problems of one request so the answer names all of them at once.</summary>
public sealed class Validate
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Ok => _errors.Count == 0;

    public IResult Problem => Problems.Invalid(_errors);

    public Validate Add(string field, string message)
    {
        _errors.TryAdd(field, [message]);
        return this;
    }

    public Validate Id(string field, string? value)
    {
        if (!Identifier.IsValid(value, out var error))
        {
            Add(field, error);
        }

        return this;
    }

    public Validate Header(string field, string? value, int maxLength, bool required)
    {
        if (!HeaderText.IsValid(value, maxLength, required, out var error))
        {
            Add(field, error);
        }

        return this;
    }

    /// <summary>The longest body (text or HTML) a message may have, in characters.</summary>
    public const int MaxBodyChars = 512 * 1024;

    /// <summary>
    /// A message's content, the same for a broadcast and a step story: the subject is a header (no CR/LF, at most 250
    /// characters), each body at most <see cref="MaxBodyChars"/>. A broadcast needs its text body
    /// (<paramref name="textRequired"/>); a story needs a text body or an HTML body, and a missing one is named under
    /// <c>textBody</c>. Fields are named with <paramref name="prefix"/> (<c>[3].</c> for the fourth story).
    /// </summary>
    public Validate Content(string prefix, string? subject, string? textBody, string? htmlBody, bool textRequired)
    {
        Header(prefix + "subject", subject, 250, required: true);
        if (string.IsNullOrWhiteSpace(textBody) && (textRequired || textBody is not null || string.IsNullOrWhiteSpace(htmlBody)))
        {
            Add(prefix + "textBody", textBody is not null ? "must not be blank" : textRequired ? "is required" : "is required when there is no htmlBody");
        }
        else if (textBody?.Length > MaxBodyChars)
        {
            Add(prefix + "textBody", $"is longer than {MaxBodyChars} characters");
        }

        if (htmlBody?.Length > MaxBodyChars)
        {
            Add(prefix + "htmlBody", $"is longer than {MaxBodyChars} characters");
        }

        return this;
    }

    /// <summary>
    /// An ISO 8601 duration within [<paramref name="min"/>, <paramref name="max"/>]. The message says which of the two
    /// is wrong — missing, not a duration, or out of range — and its example is always one the field accepts.
    /// </summary>
    public TimeSpan Duration(string field, string? value, TimeSpan min, TimeSpan max)
    {
        var range = $"from {XmlConvert.ToString(min)} to {XmlConvert.ToString(max)}";
        if (value is null)
        {
            Add(field, $"is required: an ISO 8601 duration {range}");
            return default;
        }

        TimeSpan duration;
        try
        {
            duration = XmlConvert.ToTimeSpan(value.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            Add(field, $"is not an ISO 8601 duration (such as {XmlConvert.ToString(Example(min, max))}); it must be {range}");
            return default;
        }

        if (duration < min || duration > max)
        {
            Add(field, $"must be {range}, not {value.Trim()}");
            return default;
        }

        return duration;
    }

    /// <summary>A round duration inside the range, for messages: 30 seconds, a minute, an hour or a day, else the minimum.</summary>
    private static TimeSpan Example(TimeSpan min, TimeSpan max) =>
        new[] { TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1) }
            .Where(t => t >= min && t <= max).DefaultIfEmpty(min).First();

    public string Email(string field, string? value, bool required = true)
    {
        if (value is null && !required)
        {
            return string.Empty;
        }

        if (!EmailAddress.TryNormalize(value, out var normalized, out var error))
        {
            Add(field, error);
        }

        return normalized;
    }
}
