using System.Net;
using Hikyaku.MxSim;
using Hikyaku.Smtp.Composition;

namespace Hikyaku.Smtp.Tests;

/// <summary>What the delivery tests share: simulated providers on loopback and an issue to send.</summary>
internal static class Sandbox
{
    public static readonly IPAddress Ip2 = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress Ip3 = IPAddress.Parse("127.0.0.3");

    /// <summary>One provider (accepting every address unless mailboxes are given).</summary>
    public static Task<MxSimHost> StartAsync(string provider, params string[] mailboxes) =>
        MxSimHost.StartAsync([new ProviderOptions { Profile = provider, AcceptAll = mailboxes.Length == 0, Mailboxes = mailboxes }]);

    public static DeliveryOptions Options(int maxMessagesPerConnection = 100) => new()
    {
        HeloName = "mta.hikyaku.test",
        ConnectTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(10),
        MaxMessagesPerConnection = maxMessagesPerConnection,
    };

    public static MailContent Issue(string key = "b:42") =>
        new(key, "news@magazine.example.jp", "週刊ひきゃく", "今週のお知らせ", "本文です。\nよろしくお願いします。\n", "<p>本文です。</p>", "t1", "m1")
        {
            ListUnsubscribeBaseUrl = "https://hikyaku.example/u/",
            EnvelopeFrom = "bounce@magazine.example.jp",
        };

    public static IReadOnlyList<OutboundMessage> Messages(MessageComposer composer, params string[] recipients) =>
        recipients.Select(r => composer.Compose(r, "tok-" + r)).ToList();

    public static DeliveryBatch Batch(MxSimHost host, string provider, IPAddress source, IReadOnlyList<OutboundMessage> messages, int connections = 1)
    {
        var simulated = host[provider];
        return new DeliveryBatch(source, simulated.Profile.MxHost, simulated.Endpoint, messages, connections);
    }

    /// <summary>Counts by outcome kind, e.g. <c>Accepted=2 Rejected=1</c>: the compact summary tests assert on.</summary>
    public static string Summary(IEnumerable<DeliveryOutcome> outcomes) =>
        string.Join(" ", outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
}
