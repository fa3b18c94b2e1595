using System.Net;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// The docomo and au addresses issued until 2009 (consecutive dots, a dot first or last in the local part) are
/// subscribed, sent and received, with the local part quoted on the wire — judged from what the providers received.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class LegacyCarrierAddressDeliveryTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private const string Subject = "legacy carrier issue";

    /// <summary>Stored address → the forward-path and To header value the provider must receive.</summary>
    private static readonly Dictionary<string, string> Readers = new()
    {
        ["taro..hanako@docomo.ne.jp"] = "\"taro..hanako\"@docomo.ne.jp",
        ["taro.@docomo.ne.jp"] = "\"taro.\"@docomo.ne.jp",
        [".taro@docomo.ne.jp"] = "\".taro\"@docomo.ne.jp",
        ["hanako..x.@ezweb.ne.jp"] = "\"hanako..x.\"@ezweb.ne.jp",
        [".jiro..@au.com"] = "\".jiro..\"@au.com",
        ["saburo...y@ezweb.ne.jp"] = "\"saburo...y\"@ezweb.ne.jp",
        ["shiro.goro@docomo.ne.jp"] = "shiro.goro@docomo.ne.jp",
    };

    [Fact]
    public async Task Each_legacy_shape_is_received_once_with_its_local_part_quoted_in_rcpt_to_and_in_the_to_header()
    {
        var (t, _) = await fixture.TenantWithIps("legacy", 2);
        foreach (var email in Readers.Keys)
        {
            fixture.Providers.ProviderFor(email.Split('@')[1])!.AddMailbox(email);
        }

        await t.Import(Readers.Keys.Where(e => !e.StartsWith("saburo", StringComparison.Ordinal)).ToList());
        // The quoted form names the same mailbox: accepted, and stored unquoted.
        var added = await t.PostJson("/v1/magazines/news/subscribers", new { email = "\"saburo...y\"@ezweb.ne.jp" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("saburo...y@ezweb.ne.jp", (await added.Json()).GetProperty("email").GetString());
        // What no envelope toward the carriers can carry is refused at subscription, saying why.
        var refused = await t.PostJson("/v1/magazines/news/subscribers", new { email = "太郎@docomo.ne.jp" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("SMTPUTF8", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        fixture.Providers.Journal.KeepContent = true;
        var view = await t.WaitFinished(await t.Broadcast(Subject), TimeSpan.FromMinutes(2));

        Assert.Equal((Readers.Count, Readers.Count), (view.GetProperty("total").GetInt32(), view.GetProperty("delivered").GetInt32()));
        foreach (var (email, wire) in Readers)
        {
            var received = Assert.Single(fixture.Providers.Journal.ForRecipient(email), m => m.Subject == Subject);
            Assert.Equal(wire, received.RecipientAsSent);
            var headers = Encoding.ASCII.GetString(received.Content!).Split("\r\n\r\n")[0].Split("\r\n");
            Assert.Contains($"To: {wire}", headers);
            var log = await (await t.GetAsync(BroadcastSteps.Reader(email, "/log"))).Json();
            var attempt = Assert.Single(log.EnumerateArray());
            Assert.Equal("delivered", attempt.GetProperty("result").GetString());
            Assert.Contains($"RCPT TO:<{wire}>", attempt.GetProperty("transcript").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(fixture.Providers.Journal.Duplicates());
        var byQuotedPath = await (await t.GetAsync(BroadcastSteps.Reader("\"taro..hanako\"@docomo.ne.jp"))).Json();
        Assert.Equal("taro..hanako@docomo.ne.jp", byQuotedPath.GetProperty("email").GetString());
    }
}
