using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hikyaku.MxSim.Catalog;

/// <summary>
/// The simulated providers the sandbox knows, read from the embedded <c>providers.json</c> (the
/// wordings and their sources live there as data, not in code) or from a file of the same shape.
/// </summary>
public sealed class ProviderCatalog
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    static readonly Lazy<ProviderCatalog> Embedded = new(LoadEmbedded);

    readonly Dictionary<string, ProviderProfile> _byName;

    ProviderCatalog(IReadOnlyList<ProviderProfile> profiles)
    {
        Profiles = profiles;
        _byName = profiles.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The built-in catalog: Microsoft, Google, Yahoo, Yahoo Japan, Apple, docomo, au and SoftBank.</summary>
    public static ProviderCatalog Default => Embedded.Value;

    /// <summary>Every profile, in file order.</summary>
    public IReadOnlyList<ProviderProfile> Profiles { get; }

    /// <summary>The profile named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No profile has that name.</exception>
    public ProviderProfile this[string name] =>
        _byName.TryGetValue(name, out var profile)
            ? profile
            : throw new KeyNotFoundException($"No simulated provider named '{name}'; known: {string.Join(", ", _byName.Keys)}.");

    /// <summary>Reads a catalog from JSON of the same shape as the embedded one.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or a profile is incomplete.</exception>
    public static ProviderCatalog Load(Stream json)
    {
        var file = JsonSerializer.Deserialize<CatalogFile>(json, Json)
                   ?? throw new InvalidDataException("The provider catalog is empty.");
        var greylisted = file.Defaults?.Greylisted;
        var profiles = (file.Providers ?? []).Select(p => ToProfile(p, greylisted)).ToList();
        if (profiles.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != profiles.Count)
            throw new InvalidDataException("Provider names in the catalog must be unique.");
        return new ProviderCatalog(profiles);
    }

    static ProviderCatalog LoadEmbedded()
    {
        using var stream = typeof(ProviderCatalog).Assembly.GetManifestResourceStream("Hikyaku.MxSim.Catalog.providers.json")
                           ?? throw new InvalidOperationException("The embedded provider catalog is missing from the assembly.");
        return Load(stream);
    }

    static ProviderProfile ToProfile(ProviderFile p, ReplyTemplate? defaultGreylisted)
    {
        if (string.IsNullOrWhiteSpace(p.Name) || p.Domains is not { Count: > 0 })
            throw new InvalidDataException("Every catalog provider needs a name and at least one domain.");
        // A block at the banner cannot be expressed through SmtpServer's greeting, and real providers
        // name IP blocks at MAIL, RCPT or after DATA anyway.
        if (p.ExplicitBlockStage == SmtpStage.Connect)
            throw new InvalidDataException($"Provider '{p.Name}': explicitBlockStage must be MailFrom, RcptTo or Data.");
        var disguisedStage = p.DisguisedBlockStage ?? SmtpStage.RcptTo;
        if (disguisedStage is not (SmtpStage.RcptTo or SmtpStage.Data))
            throw new InvalidDataException($"Provider '{p.Name}': disguisedBlockStage must be RcptTo or Data.");
        var replies = p.Replies ?? throw new InvalidDataException($"Provider '{p.Name}' has no replies.");
        return new ProviderProfile(
            p.Name,
            p.MxHost ?? $"mx.{p.Domains[0]}",
            p.Domains.Select(d => d.ToLowerInvariant()).ToList(),
            p.ExplicitBlockStage,
            new ProviderReplies(
                Required(replies.UserUnknown, p.Name, "userUnknown"),
                Required(replies.ExplicitBlock, p.Name, "explicitBlock"),
                Required(replies.RateLimited, p.Name, "rateLimited"),
                Required(replies.Greylisted ?? defaultGreylisted, p.Name, "greylisted")),
            disguisedStage);
    }

    static ReplyTemplate Required(ReplyTemplate? reply, string provider, string kind)
    {
        if (reply is null || reply.Lines is not { Count: > 0 } || reply.Code is < 400 or > 599 || string.IsNullOrWhiteSpace(reply.Source))
            throw new InvalidDataException($"Provider '{provider}': reply '{kind}' needs a 4xx/5xx code, at least one line and a source.");
        return reply;
    }

    sealed record CatalogFile(DefaultsFile? Defaults, List<ProviderFile>? Providers);

    sealed record DefaultsFile(ReplyTemplate? Greylisted);

    sealed record ProviderFile(string Name, string? MxHost, List<string>? Domains, SmtpStage ExplicitBlockStage, RepliesFile? Replies, SmtpStage? DisguisedBlockStage = null);

    sealed record RepliesFile(ReplyTemplate? UserUnknown, ReplyTemplate? ExplicitBlock, ReplyTemplate? RateLimited, ReplyTemplate? Greylisted);
}
