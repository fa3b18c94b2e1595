using System.Text;
using System.Text.RegularExpressions;
using Hikyaku.MxSim.Catalog;

namespace Hikyaku.MxSim.Tests;

public sealed partial class CatalogTests
{
    [Fact]
    public void Every_reply_has_a_source_and_an_enhanced_code_of_the_same_class_when_it_has_one()
    {
        foreach (var profile in ProviderCatalog.Default.Profiles)
        {
            var replies = profile.Replies;
            foreach (var reply in new[] { replies.UserUnknown, replies.ExplicitBlock, replies.RateLimited, replies.Greylisted })
            {
                Assert.False(string.IsNullOrWhiteSpace(reply.Source), $"{profile.Name}: reply without source");
                foreach (var line in reply.Lines)
                {
                    var enhanced = EnhancedCode().Match(line);
                    if (enhanced.Success)
                        Assert.True(enhanced.Value[0] == reply.Code.ToString()[0], $"{profile.Name}: '{line}' does not match code {reply.Code}");
                }
            }
        }
    }

    [Fact]
    public void Rate_limit_replies_close_the_session_with_421()
    {
        Assert.All(ProviderCatalog.Default.Profiles, p => Assert.Equal(421, p.Replies.RateLimited.Code));
    }

    [Fact]
    public void Yahoo_japan_is_its_own_provider_apart_from_yahoo()
    {
        var catalog = ProviderCatalog.Default;
        Assert.Contains("yahoo.co.jp", catalog["yahoo-jp"].Domains);
        Assert.DoesNotContain("yahoo.co.jp", catalog["yahoo"].Domains);
    }

    [Fact]
    public void A_catalog_reply_without_a_source_is_refused()
    {
        const string json = """
            { "providers": [ { "name": "x", "domains": ["x.example"], "explicitBlockStage": "RcptTo", "replies": {
              "userUnknown": { "code": 550, "lines": ["5.1.1 unknown"], "source": "" },
              "explicitBlock": { "code": 550, "lines": ["5.7.1 blocked"], "source": "s" },
              "rateLimited": { "code": 421, "lines": ["4.7.0 slow down"], "source": "s" },
              "greylisted": { "code": 451, "lines": ["4.7.1 later"], "source": "s" } } } ] }
            """;

        var error = Assert.Throws<InvalidDataException>(() => ProviderCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains("userUnknown", error.Message);
    }

    [Fact]
    public void Rendering_fills_the_source_ip_recipient_and_domain()
    {
        var reply = ProviderCatalog.Default["yahoo"].Replies.UserUnknown.Render(System.Net.IPAddress.Parse("127.0.0.9"), "a@b.example", "kijitora@yahoo.com");

        Assert.Equal("554 delivery error: dd This user doesn't have a yahoo.com account (kijitora@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com", reply.Text);
    }

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedCode();
}
