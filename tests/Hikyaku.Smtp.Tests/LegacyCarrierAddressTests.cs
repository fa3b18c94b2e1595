using System.Text;
using Hikyaku.Smtp.Composition;

namespace Hikyaku.Smtp.Tests;

/// <summary>
/// The docomo / au addresses issued until 2009 (consecutive dots, a dot first or last in the local part) go out with
/// the local part quoted, in the To header and in RCPT TO; an ordinary address stays as it is.
/// </summary>
public sealed class LegacyCarrierAddressTests
{
    public static TheoryData<string, string> Shapes => new()
    {
        { "taro..hanako@docomo.ne.jp", "\"taro..hanako\"@docomo.ne.jp" },
        { "taro.@docomo.ne.jp", "\"taro.\"@docomo.ne.jp" },
        { ".taro@ezweb.ne.jp", "\".taro\"@ezweb.ne.jp" },
        { "..taro...x.@au.com", "\"..taro...x.\"@au.com" },
        { "taro.hanako-x_y@i.softbank.jp", "taro.hanako-x_y@i.softbank.jp" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_to_header_carries_the_local_part_quoted_only_where_it_is_not_a_dot_atom(string stored, string onTheWire)
    {
        var message = new MessageComposer(Sandbox.Issue()).Compose(stored, "t");

        var headers = Encoding.ASCII.GetString(message.Content.Span).Split("\r\n\r\n")[0].Split("\r\n");
        Assert.Contains($"To: {onTheWire}", headers);
        Assert.Equal(stored, message.Recipient);
    }

    [Fact]
    public async Task The_provider_receives_the_quoted_local_part_in_rcpt_to_and_in_the_to_header()
    {
        string[] readers = ["taro..hanako@docomo.ne.jp", "taro.@docomo.ne.jp", ".taro@docomo.ne.jp", "jiro@docomo.ne.jp"];
        await using var host = await Sandbox.StartAsync("docomo");
        await using var sender = new SmtpSender(Sandbox.Options());
        host.Journal.KeepContent = true;

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "docomo", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), readers)));

        Assert.Equal("Accepted=4", Sandbox.Summary(outcomes));
        var received = host.Journal.Accepted.ToDictionary(m => m.Recipient);
        Assert.Equal(readers.Order(), received.Keys.Order());
        foreach (var reader in readers)
        {
            var wire = Mailboxes.ForWire(reader);
            Assert.Equal(wire, received[reader].RecipientAsSent);
            Assert.Contains($"\r\nTo: {wire}\r\n", Encoding.ASCII.GetString(received[reader].Content!), StringComparison.Ordinal);
            Assert.Contains($"C: RCPT TO:<{wire}>", outcomes.Single(o => o.Recipient == reader).Transcript);
        }
        Assert.Equal("\"taro..hanako\"@docomo.ne.jp", received["taro..hanako@docomo.ne.jp"].RecipientAsSent);
        Assert.Equal("jiro@docomo.ne.jp", received["jiro@docomo.ne.jp"].RecipientAsSent);
    }

    [Fact]
    public void A_magazine_sending_from_a_legacy_address_is_composed_with_its_from_quoted()
    {
        var message = new MessageComposer(Sandbox.Issue() with { FromAddress = "shop..news@docomo.ne.jp", EnvelopeFrom = null }).Compose("jiro@gmail.com", "t");

        Assert.Contains("\r\nFrom: =?utf-8?b?", Encoding.ASCII.GetString(message.Content.Span), StringComparison.Ordinal);
        Assert.Contains("<\"shop..news\"@docomo.ne.jp>", Encoding.ASCII.GetString(message.Content.Span), StringComparison.Ordinal);
        Assert.Equal("shop..news@docomo.ne.jp", message.EnvelopeFrom);
    }

    [Theory]
    [InlineData("太郎@docomo.ne.jp", "SMTPUTF8")]
    [InlineData("taro\thanako@docomo.ne.jp", "control character")]
    [InlineData("taro\r\nBcc: x@example.jp@docomo.ne.jp", "control character")]
    public void An_address_no_envelope_can_carry_is_refused_when_its_message_is_composed(string recipient, string reason)
    {
        var composer = new MessageComposer(Sandbox.Issue());

        var refused = Assert.Throws<FormatException>(() => composer.Compose(recipient, "t"));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_envelope_the_connection_cannot_write_is_refused_locally_and_the_session_goes_on()
    {
        await using var host = await Sandbox.StartAsync("docomo");
        await using var sender = new SmtpSender(Sandbox.Options());
        var good = new MessageComposer(Sandbox.Issue()).Compose("jiro@docomo.ne.jp", "t");
        // Built past the composer, as an older caller could: the connection refuses the address itself.
        var unwritable = good with { Recipient = "太郎@docomo.ne.jp" };

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "docomo", Sandbox.Ip2, [unwritable, good]));

        Assert.True(outcomes[0].RefusedLocally);
        Assert.Contains("SMTPUTF8", outcomes[0].Text, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcomeKind.Accepted, outcomes[1].Kind);
        Assert.Equal(["jiro@docomo.ne.jp"], host.Journal.Accepted.Select(m => m.Recipient));
    }
}
