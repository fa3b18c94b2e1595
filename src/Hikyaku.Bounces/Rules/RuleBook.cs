using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hikyaku.Bounces.Rules;

/// <summary>
/// All classification data, loaded once from the embedded JSON files: provider rules (checked
/// first; they name the provider), generic MTA text rules, and the enhanced status code table.
/// </summary>
public sealed class RuleBook
{
    private const string ResourcePrefix = "Hikyaku.Bounces.Rules.";
    private const string StatusResource = ResourcePrefix + "enhanced-status.json";

    private static readonly Lazy<RuleBook> Embedded = new(Load);

    private RuleBook(IReadOnlyList<ReplyRule> providerRules, IReadOnlyList<ReplyRule> textRules, StatusCodeTable statusCodes, IReadOnlyList<string> files)
    {
        ProviderRules = providerRules;
        TextRules = textRules;
        StatusCodes = statusCodes;
        Files = files;
    }

    /// <summary>The rule book built from the assembly's embedded rule files.</summary>
    public static RuleBook Default => Embedded.Value;

    /// <summary>Provider rules, in file order; the first match wins.</summary>
    public IReadOnlyList<ReplyRule> ProviderRules { get; }

    /// <summary>Generic MTA text rules, in priority order; used when the status code does not settle the reason.</summary>
    public IReadOnlyList<ReplyRule> TextRules { get; }

    /// <summary>RFC 3463 enhanced status codes and bare reply codes.</summary>
    public StatusCodeTable StatusCodes { get; }

    /// <summary>The names of the rule files loaded.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// The same book without the rules written for the given sources (a rule's <see cref="ReplyRule.Origins"/>):
    /// what the classifier knows about a source it has never seen. Used to measure by source, never to classify.
    /// </summary>
    public RuleBook Without(IReadOnlySet<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        bool Kept(ReplyRule r) => !r.Origins.Any(sources.Contains);
        return new RuleBook([.. ProviderRules.Where(Kept)], [.. TextRules.Where(Kept)], StatusCodes, Files);
    }

    private static RuleBook Load()
    {
        var assembly = typeof(RuleBook).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal) && n != StatusResource)
            .Order(StringComparer.Ordinal)
            .ToList();
        var provider = new List<ReplyRule>();
        var text = new List<ReplyRule>();
        // Files apply in "order" (default 0), then by name: named providers before generic block lists.
        foreach (var file in names.Select(n => Read<RuleFile>(assembly, n)).OrderBy(f => f.Order))
        {
            var target = file.Kind == "text" ? text : provider;
            target.AddRange(file.Rules.Select(r => ToRule(file.Provider, r)));
        }

        var status = Read<StatusFile>(assembly, StatusResource);
        var table = new StatusCodeTable(
            status.Codes.Select(c => new StatusCodeMeaning(c.Code, c.Title, ParseReason(c.Reason, c.Code), c.Decisive, c.Source)),
            status.ReplyCodes.Select(c => (c.Code, ParseReason(c.Reason, c.Code.ToString()), c.Source)));
        return new RuleBook(provider, text, table, [.. names, StatusResource]);
    }

    private static T Read<T>(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing embedded rule file {name}");
        return JsonSerializer.Deserialize<T>(stream)
            ?? throw new InvalidOperationException($"empty rule file {name}");
    }

    private static ReplyRule ToRule(string provider, RuleEntry e) => new()
    {
        Id = e.Id,
        Provider = provider,
        Source = e.Source ?? throw new InvalidOperationException($"rule {e.Id} has no source"),
        Reason = ParseReason(e.Reason, e.Id),
        Action = e.Action is null ? null
            : ActionClasses.TryParse(e.Action, out var a) ? a : throw new InvalidOperationException($"rule {e.Id}: unknown action {e.Action}"),
        Codes = e.Codes ?? [],
        StatusPrefix = e.Status,
        Stages = (e.Stages ?? []).Select(s => SmtpStages.TryParse(s, out var st) ? st : throw new InvalidOperationException($"rule {e.Id}: unknown stage {s}")).ToList(),
        Pattern = new Regex(e.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase),
        OverridesStatus = e.OverridesStatus ?? false,
        Origins = e.Origins ?? (provider == "generic" ? [] : [provider]),
        Examples = (e.Examples ?? []).Select(ToReply).ToList(),
        CounterExamples = (e.CounterExamples ?? []).Select(ToReply).ToList(),
    };

    private static SmtpReply ToReply(ExampleEntry x) =>
        SmtpReply.Parse(x.Reply, SmtpStages.TryParse(x.Stage, out var s) ? s : SmtpStage.Unknown);

    private static BounceReason ParseReason(string name, string where) =>
        BounceReasons.TryParse(name, out var r) ? r : throw new InvalidOperationException($"{where}: unknown reason {name}");
}
