using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hikyaku.Domain.Blocks;

/// <summary>A text in the two languages a delist kit speaks.</summary>
/// <param name="Ja">Japanese.</param>
/// <param name="En">English.</param>
public sealed record LocalizedText(string Ja, string En)
{
    /// <summary>The languages every text carries, in the order kits list them.</summary>
    public static readonly IReadOnlyList<string> Languages = ["ja", "en"];

    /// <summary>The text in <paramref name="language"/> (<c>ja</c> or <c>en</c>); anything else is refused.</summary>
    public string For(string language) => language switch
    {
        "ja" => Ja,
        "en" => En,
        _ => throw new ArgumentException($"Language '{language}' is not one of: ja, en.", nameof(language)),
    };

    /// <summary>Both languages with <paramref name="map"/> applied.</summary>
    public LocalizedText Map(Func<string, string, string> map) => new(map(Ja, "ja"), map(En, "en"));
}

/// <summary>What a page in a delist entry is for.</summary>
public static class DelistFormRoles
{
    /// <summary>A form that asks the provider or list to lift the block.</summary>
    public const string Request = "request";

    /// <summary>A page that shows whether the IP is listed (the IP in its query).</summary>
    public const string Lookup = "lookup";

    /// <summary>A page to read: the provider's rules or error codes.</summary>
    public const string Reference = "reference";

    /// <summary>Every role.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Request, Lookup, Reference };
}

/// <summary>One page of a delist entry as the file holds it: a template whose <c>{ip}</c> the kit fills in.</summary>
/// <param name="Label">What the page is.</param>
/// <param name="UrlTemplate">An https URL; <c>{ip}</c> where the page takes the IP in its query or path.</param>
/// <param name="Role">One of <see cref="DelistFormRoles"/>.</param>
/// <param name="PreferWhen">A pattern: when a block's replies match it, this page is listed first (Microsoft's two forms answer
/// different replies).</param>
/// <param name="Fill">What to type into the form's fields, in order.</param>
public sealed record DelistFormTemplate(LocalizedText Label, string UrlTemplate, string Role, Regex? PreferWhen, IReadOnlyList<LocalizedText> Fill)
{
    /// <summary>The placeholder the sending IP replaces in <see cref="UrlTemplate"/>.</summary>
    public const string IpPlaceholder = "{ip}";

    /// <summary>Whether the page takes the IP (the template has <c>{ip}</c>).</summary>
    public bool TakesIp => UrlTemplate.Contains(IpPlaceholder, StringComparison.Ordinal);

    /// <summary>The URL with <paramref name="ip"/> filled in (escaped for a URL).</summary>
    public Uri UrlFor(string ip) => new(UrlTemplate.Replace(IpPlaceholder, Uri.EscapeDataString(ip), StringComparison.Ordinal), UriKind.Absolute);
}

/// <summary>A question a provider's form asks and the answer to give.</summary>
public sealed record DelistAnswer(LocalizedText Question, LocalizedText Answer);

/// <summary>
/// How to get one provider (or DNS block list) to lift a block, as <c>delist.json</c> holds it: its pages, the contact when it
/// has no form, the steps, the answers, how long it usually takes, and the pages the facts come from.
/// </summary>
/// <param name="Id">The site id (<c>microsoft</c>), the list's id (<c>spamhaus</c>) or <c>default</c>.</param>
/// <param name="Zones">For a DNS block list: the zones it answers on.</param>
/// <param name="Domain">For a DNS block list: its web domain, which replies that cite the list name.</param>
/// <param name="Contact">How to reach the provider when it has no public form (or beside it); null when the form is the way.</param>
/// <param name="TypicalTime">How long the provider usually takes, or that it does not say.</param>
/// <param name="TestSendFirst">Whether to send a test to a seed address before lifting the block.</param>
/// <param name="Source">The public pages the entry comes from.</param>
public sealed record DelistEntry(
    string Id,
    LocalizedText Name,
    IReadOnlyList<DelistFormTemplate> Forms,
    LocalizedText? Contact,
    IReadOnlyList<LocalizedText> Steps,
    IReadOnlyList<DelistAnswer> Answers,
    LocalizedText TypicalTime,
    bool TestSendFirst,
    IReadOnlyList<Uri> Source,
    IReadOnlyList<string> Zones,
    string? Domain);

/// <summary>
/// The delisting pages Hikyaku knows, read from the embedded <c>delist.json</c>: one entry per provider site, one per DNS block
/// list, and a default ("contact the provider") for every other site.
/// </summary>
public sealed class DelistCatalog
{
    private static readonly Lazy<DelistCatalog> LazyDefault = new(LoadEmbedded);
    private readonly Dictionary<string, DelistEntry> _sites;

    /// <summary>Builds a catalog; site ids and list zones must be unique.</summary>
    public DelistCatalog(
        IEnumerable<DelistEntry> sites, IEnumerable<DelistEntry> dnsbls, DelistEntry fallback,
        IReadOnlyDictionary<string, LocalizedText> kinds, LocalizedText closing)
    {
        Sites = sites.ToArray();
        Dnsbls = dnsbls.ToArray();
        Fallback = fallback;
        Closing = closing;
        _sites = new Dictionary<string, DelistEntry>(StringComparer.Ordinal);
        foreach (var site in Sites)
        {
            if (!_sites.TryAdd(site.Id, site))
            {
                throw new FormatException($"Delist entry '{site.Id}' is listed twice.");
            }
        }

        var zones = Dnsbls.SelectMany(d => d.Zones).ToArray();
        if (zones.Distinct(StringComparer.OrdinalIgnoreCase).Count() != zones.Length)
        {
            throw new FormatException("A DNS block list zone is listed twice.");
        }

        foreach (var kind in DelistBlockKinds.All)
        {
            if (!kinds.ContainsKey(kind))
            {
                throw new FormatException($"Delist catalog has no wording for block kind '{kind}'.");
            }
        }

        Kinds = kinds;
    }

    /// <summary>The catalog shipped with Hikyaku, loaded once.</summary>
    public static DelistCatalog Default => LazyDefault.Value;

    /// <summary>Provider sites, in file order.</summary>
    public IReadOnlyList<DelistEntry> Sites { get; }

    /// <summary>DNS block lists, in file order.</summary>
    public IReadOnlyList<DelistEntry> Dnsbls { get; }

    /// <summary>The entry for a site with none of its own: "contact the provider".</summary>
    public DelistEntry Fallback { get; }

    /// <summary>What each block kind means, said to the provider.</summary>
    public IReadOnlyDictionary<string, LocalizedText> Kinds { get; }

    /// <summary>The request that closes every text to paste.</summary>
    public LocalizedText Closing { get; }

    /// <summary>The site's own entry, if it has one.</summary>
    public DelistEntry? FindSite(string siteId) => _sites.GetValueOrDefault(siteId);

    /// <summary>The DNS block list that answers on <paramref name="zone"/> (or a zone under its domain), if known.</summary>
    public DelistEntry? FindDnsbl(string zone)
    {
        var z = zone.Trim().TrimEnd('.').ToLowerInvariant();
        return Dnsbls.FirstOrDefault(d => d.Zones.Contains(z, StringComparer.OrdinalIgnoreCase))
            ?? Dnsbls.FirstOrDefault(d => d.Domain is not null && (z == d.Domain || z.EndsWith("." + d.Domain, StringComparison.Ordinal)));
    }

    /// <summary>Parses catalog JSON in the shape of <c>delist.json</c>.</summary>
    public static DelistCatalog Parse(string json)
    {
        var file = JsonSerializer.Deserialize<CatalogFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new FormatException("Delist catalog is empty.");
        if (file.Sites is null || file.Dnsbls is null || file.Default is null || file.Kinds is null || file.Closing is null)
        {
            throw new FormatException("Delist catalog needs sites, dnsbls, default, kinds and closing.");
        }

        return new DelistCatalog(
            file.Sites.Select(ToEntry), file.Dnsbls.Select(ToEntry), ToEntry(file.Default),
            file.Kinds.ToDictionary(k => k.Key, k => Text(k.Value, $"kinds.{k.Key}"), StringComparer.Ordinal),
            Text(file.Closing, "closing"));
    }

    private static DelistCatalog LoadEmbedded() => Parse(EmbeddedData.Read("Blocks/delist.json"));

    private static DelistEntry ToEntry(EntryFile e)
    {
        if (string.IsNullOrWhiteSpace(e.Id))
        {
            throw new FormatException("A delist entry has no id.");
        }

        var where = $"delist entry '{e.Id}'";
        if (e.Source is null || e.Source.Length == 0)
        {
            throw new FormatException($"The {where} names no source page.");
        }

        return new DelistEntry(
            e.Id,
            Text(e.Name, $"{where} name"),
            (e.Forms ?? []).Select(f => ToForm(f, where)).ToArray(),
            e.Contact is null ? null : Text(e.Contact, $"{where} contact"),
            (e.Steps ?? []).Select(s => Text(s, $"{where} step")).ToArray(),
            (e.Answers ?? []).Select(a => new DelistAnswer(Text(a.Question, $"{where} question"), Text(a.Answer, $"{where} answer"))).ToArray(),
            Text(e.TypicalTime, $"{where} typicalTime"),
            e.TestSendFirst,
            e.Source.Select(s => HttpsUrl(s, where)).ToArray(),
            (e.Zones ?? []).Select(z => z.ToLowerInvariant()).ToArray(),
            e.Domain?.ToLowerInvariant());
    }

    private static DelistFormTemplate ToForm(FormFile f, string where)
    {
        if (f.Url is null)
        {
            throw new FormatException($"A page of the {where} has no url.");
        }

        // The template must make an https URL once {ip} is filled in, with an IPv4 or an IPv6 address alike.
        HttpsUrl(f.Url.Replace(DelistFormTemplate.IpPlaceholder, "192.0.2.1", StringComparison.Ordinal), where);
        HttpsUrl(f.Url.Replace(DelistFormTemplate.IpPlaceholder, Uri.EscapeDataString("2001:db8::1"), StringComparison.Ordinal), where);
        var role = f.Role ?? DelistFormRoles.Reference;
        if (!DelistFormRoles.All.Contains(role))
        {
            throw new FormatException($"A page of the {where} has role '{role}', not one of: {string.Join(", ", DelistFormRoles.All)}.");
        }

        return new DelistFormTemplate(
            Text(f.Label, $"{where} page label"),
            f.Url,
            role,
            f.PreferWhen is null ? null : new Regex(f.PreferWhen, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)),
            (f.Fill ?? []).Select(x => Text(x, $"{where} field")).ToArray());
    }

    private static Uri HttpsUrl(string url, string where)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"The {where} has '{url}', which is not an https URL.");
        }

        return uri;
    }

    private static LocalizedText Text(TextFile? t, string where) =>
        t is { Ja: { Length: > 0 } ja, En: { Length: > 0 } en }
            ? new LocalizedText(ja, en)
            : throw new FormatException($"The {where} needs both ja and en text.");

    private sealed record CatalogFile(
        Dictionary<string, TextFile>? Kinds, TextFile? Closing, EntryFile[]? Sites, EntryFile[]? Dnsbls, EntryFile? Default);

    private sealed record EntryFile(
        string Id, TextFile? Name, FormFile[]? Forms, TextFile? Contact, TextFile[]? Steps, AnswerFile[]? Answers,
        TextFile? TypicalTime, bool TestSendFirst, string[]? Source, string[]? Zones, string? Domain);

    private sealed record FormFile(TextFile? Label, string? Url, string? Role, string? PreferWhen, TextFile[]? Fill);

    private sealed record AnswerFile(TextFile? Question, TextFile? Answer);

    private sealed record TextFile(string? Ja, string? En);
}
