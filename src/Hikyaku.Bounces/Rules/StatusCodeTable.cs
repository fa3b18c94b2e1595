namespace Hikyaku.Bounces.Rules;

/// <summary>What an enhanced status code says by itself (RFC 3463 and the IANA registry).</summary>
/// <param name="Code">The code without its class, e.g. <c>1.1</c>.</param>
/// <param name="Title">The registry title.</param>
/// <param name="Reason">The reason the code implies.</param>
/// <param name="Decisive">
/// True when the code alone settles the reason (<c>X.1.1</c>); false when servers use it for many
/// things (<c>X.7.1</c>, <c>X.0.0</c>) so the text should decide first.
/// </param>
/// <param name="Source">The RFC that defines it.</param>
public sealed record StatusCodeMeaning(string Code, string Title, BounceReason Reason, bool Decisive, string Source)
{
    /// <summary>The rule id reported when this code decided, e.g. <c>rfc3463.x.1.1</c>.</summary>
    public string RuleId { get; } = "rfc3463.x." + Code;
}

/// <summary>Lookup of enhanced status codes and bare reply codes, from <c>enhanced-status.json</c>.</summary>
public sealed class StatusCodeTable
{
    private readonly Dictionary<string, StatusCodeMeaning> byCode;
    private readonly Dictionary<string, StatusCodeMeaning>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly Dictionary<int, (BounceReason Reason, string Source)> byReplyCode;

    internal StatusCodeTable(IEnumerable<StatusCodeMeaning> codes, IEnumerable<(int Code, BounceReason Reason, string Source)> replyCodes)
    {
        byCode = codes.ToDictionary(c => c.Code, StringComparer.Ordinal);
        bySpan = byCode.GetAlternateLookup<ReadOnlySpan<char>>();
        byReplyCode = replyCodes.ToDictionary(c => c.Code, c => (c.Reason, c.Source));
    }

    /// <summary>Every enhanced code known, for tests and documentation.</summary>
    public IReadOnlyCollection<StatusCodeMeaning> All => byCode.Values;

    /// <summary>The meaning of an enhanced code such as <c>5.1.1</c> (the class digit is ignored), or null.</summary>
    public StatusCodeMeaning? Lookup(string? enhancedCode)
    {
        if (enhancedCode is not { Length: >= 5 } || enhancedCode[1] != '.')
        {
            return null;
        }

        return bySpan.TryGetValue(enhancedCode.AsSpan(2), out var meaning) ? meaning : null;
    }

    /// <summary>The reason a bare reply code implies (e.g. 552 → mailboxfull), or null.</summary>
    public BounceReason? LookupReplyCode(int code) => byReplyCode.TryGetValue(code, out var r) ? r.Reason : null;
}
