using System.Text.Json.Serialization;

namespace Hikyaku.Bounces.Rules;

/// <summary>The JSON shape of a rule file under <c>Rules/</c> (embedded resource).</summary>
internal sealed record RuleFile(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("rules")] IReadOnlyList<RuleEntry> Rules);

/// <summary>The JSON shape of one rule; see <see cref="ReplyRule"/> for the meaning of each field.</summary>
internal sealed record RuleEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("codes")] IReadOnlyList<int>? Codes,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("stages")] IReadOnlyList<string>? Stages,
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("origins")] IReadOnlyList<string>? Origins,
    [property: JsonPropertyName("overridesStatus")] bool? OverridesStatus,
    [property: JsonPropertyName("examples")] IReadOnlyList<ExampleEntry>? Examples,
    [property: JsonPropertyName("counterExamples")] IReadOnlyList<ExampleEntry>? CounterExamples);

/// <summary>An example reply and, when it matters, the stage it was given at.</summary>
internal sealed record ExampleEntry(
    [property: JsonPropertyName("reply")] string Reply,
    [property: JsonPropertyName("stage")] string? Stage);

/// <summary>The JSON shape of <c>enhanced-status.json</c>: RFC 3463 / IANA codes and bare reply codes.</summary>
internal sealed record StatusFile(
    [property: JsonPropertyName("codes")] IReadOnlyList<StatusEntry> Codes,
    [property: JsonPropertyName("replyCodes")] IReadOnlyList<ReplyCodeEntry> ReplyCodes);

/// <summary>One enhanced status code (subject.detail, class-free) and what it means.</summary>
internal sealed record StatusEntry(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("decisive")] bool Decisive,
    [property: JsonPropertyName("source")] string Source);

/// <summary>A basic reply code (RFC 5321 section 4.2.3) used when nothing more specific is known.</summary>
internal sealed record ReplyCodeEntry(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("source")] string Source);
