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
