using System.Text.Json;
using System.Text.Json.Nodes;
using Hikyaku.Domain.Blocks;

namespace Hikyaku.Domain.Tests.Blocks;

/// <summary>
/// The embedded <c>delist.json</c>: every address in it is an https URL that parses, every entry says where its facts come from
/// and speaks both languages, and a broken file is refused when read rather than producing a broken kit.
/// </summary>
public sealed class DelistCatalogTests
{
    private static string EmbeddedJson()
    {
        using var stream = typeof(DelistCatalog).Assembly.GetManifestResourceStream("Hikyaku.Domain.Blocks.delist.json");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Every string in the file under a <c>url</c> or <c>source</c> key, wherever it sits.</summary>
    private static IEnumerable<(string Path, string Value)> Addresses(JsonNode? node, string path = "$", bool underAddressKey = false)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    foreach (var found in Addresses(child, $"{path}.{key}", key is "url" or "source"))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var found in Addresses(a[i], $"{path}[{i}]", underAddressKey))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonValue v when underAddressKey && v.TryGetValue<string>(out var s):
                yield return (path, s);
                break;
        }
    }

    [Fact]
    public void Every_url_in_the_file_is_https_and_parses_with_the_ip_filled_in()
    {
        var addresses = Addresses(JsonNode.Parse(EmbeddedJson())).ToArray();

        // Three Microsoft pages, three Google, three Apple, ... : the walk must really find them.
        Assert.True(addresses.Length >= 30, $"only {addresses.Length} addresses found");
        foreach (var (path, value) in addresses)
        {
            foreach (var ip in new[] { "192.0.2.1", Uri.EscapeDataString("2001:db8::1") })
            {
                var filled = value.Replace("{ip}", ip, StringComparison.Ordinal);
                Assert.True(Uri.TryCreate(filled, UriKind.Absolute, out var uri), $"{path}: '{value}' does not parse");
                Assert.True(uri.Scheme == Uri.UriSchemeHttps, $"{path}: '{value}' is not https");
                Assert.False(string.IsNullOrEmpty(uri.Host), $"{path}: '{value}' has no host");
                Assert.DoesNotContain("{", filled);
            }
        }
    }

    [Fact]
    public void Every_entry_names_its_source_and_speaks_both_languages()
    {
        var catalog = DelistCatalog.Default;
        var entries = catalog.Sites.Concat(catalog.Dnsbls).Append(catalog.Fallback).ToArray();

        Assert.Contains(entries, e => e.Id == "microsoft");
        Assert.Contains(entries, e => e.Zones.Contains("zen.spamhaus.org"));
        Assert.Contains(entries, e => e.Zones.Contains("b.barracudacentral.org"));
        Assert.Contains(entries, e => e.Zones.Contains("bl.spamcop.net"));
        foreach (var e in entries)
        {
            Assert.NotEmpty(e.Source);
            Assert.False(string.IsNullOrWhiteSpace(e.Name.Ja));
            Assert.False(string.IsNullOrWhiteSpace(e.Name.En));
            Assert.NotEmpty(e.Steps);
            Assert.False(string.IsNullOrWhiteSpace(e.TypicalTime.Ja));
            Assert.False(string.IsNullOrWhiteSpace(e.TypicalTime.En));
            Assert.True(e.Forms.Count > 0 || e.Contact is not null, $"{e.Id}: no page and no contact");
        }
    }

    [Fact]
    public void The_microsoft_entry_has_the_sender_support_form_and_the_delist_portal()
    {
        var microsoft = DelistCatalog.Default.FindSite("microsoft");

        Assert.NotNull(microsoft);
        var requests = microsoft.Forms.Where(f => f.Role == DelistFormRoles.Request).Select(f => f.UrlTemplate).ToArray();
        Assert.Contains("https://olcsupport.office.com/", requests);
        Assert.Contains("https://sender.office.com/", requests);
        Assert.True(microsoft.TestSendFirst);
    }

    private const string Minimal = """
        {
          "kinds": {
            "explicit": { "ja": "明示", "en": "explicit" },
            "disguised": { "ja": "偽装", "en": "disguised" },
            "dnsbl": { "ja": "DNSBL", "en": "dnsbl" }
          },
          "closing": { "ja": "お願いします", "en": "please" },
          "sites": [
            {
              "id": "microsoft",
              "name": { "ja": "マイクロソフト", "en": "Microsoft" },
              "forms": [ { "label": { "ja": "フォーム", "en": "form" }, "url": "URL", "role": "ROLE", "fill": [] } ],
              "steps": [], "answers": [],
              "typicalTime": { "ja": "1日", "en": "a day" },
              "testSendFirst": true,
              "source": [ "https://example.com/pm" ]
            }
          ],
          "dnsbls": [],
          "default": {
            "id": "default", "name": { "ja": "事業者", "en": "provider" }, "forms": [],
            "contact": { "ja": "連絡", "en": "contact" }, "steps": [], "answers": [],
            "typicalTime": { "ja": "不明", "en": "unknown" }, "testSendFirst": true, "source": [ "https://example.com/" ]
          }
        }
        """;

    private static string With(string url, string role = "request") => Minimal.Replace("URL", url).Replace("ROLE", role);

    [Fact]
    public void A_well_formed_file_parses_and_fills_the_ip_into_its_form()
    {
        var catalog = DelistCatalog.Parse(With("https://example.com/check?ip={ip}"));

        var kit = DelistKits.Build(new DelistKitInput("microsoft", "192.0.2.7", DelistBlockKinds.Explicit,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null, []), catalog);

        Assert.Equal(new Uri("https://example.com/check?ip=192.0.2.7"), kit.Forms[0].Url);
        Assert.EndsWith("please", kit.Text.En);
    }

    [Theory]
    [InlineData("http://example.com/form", "request", "not an https URL")]
    [InlineData("example.com/form", "request", "not an https URL")]
    [InlineData("https://example.com/form", "delist", "role 'delist'")]
    public void A_broken_page_is_refused_when_the_file_is_read(string url, string role, string error)
    {
        var e = Assert.Throws<FormatException>(() => DelistCatalog.Parse(With(url, role)));

        Assert.Contains(error, e.Message);
    }

    [Fact]
    public void An_entry_missing_a_language_or_a_source_or_a_kind_is_refused()
    {
        var good = With("https://example.com/form");

        Assert.Contains("both ja and en", Assert.Throws<FormatException>(() => DelistCatalog.Parse(good.Replace("\"en\": \"Microsoft\"", "\"en\": \"\""))).Message);
        Assert.Contains("no source", Assert.Throws<FormatException>(() => DelistCatalog.Parse(good.Replace("[ \"https://example.com/pm\" ]", "[]"))).Message);
        Assert.Contains("disguised", Assert.Throws<FormatException>(() => DelistCatalog.Parse(good.Replace("\"disguised\":", "\"masked\":"))).Message);
        Assert.NotNull(JsonNode.Parse(good));
        Assert.Throws<JsonException>(() => DelistCatalog.Parse("{"));
    }
}
