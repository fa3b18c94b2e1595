using Hikyaku.Smtp.Composition;

namespace Hikyaku.Smtp.Tests;

public sealed class AcceptedMessageTests
{
    [Fact]
    public async Task Messages_are_accepted_from_the_bound_source_ip_with_their_stable_message_ids()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        await using var sender = new SmtpSender(Sandbox.Options());
        var composer = new MessageComposer(Sandbox.Issue());

        var fromTwo = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(composer, "taro@hotmail.co.jp", "hanako@outlook.jp")));
        var fromThree = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip3, Sandbox.Messages(composer, "jiro@live.jp")));

        Assert.Equal("Accepted=2", Sandbox.Summary(fromTwo));
        Assert.Equal("Accepted=1", Sandbox.Summary(fromThree));
        Assert.All(fromTwo.Concat(fromThree), o => Assert.True(o.FromProvider));
        Assert.Equal(["hanako@outlook.jp", "taro@hotmail.co.jp"], host.Journal.FromSource("127.0.0.2").Select(m => m.Recipient).Order());
        var jiro = Assert.Single(host.Journal.FromSource("127.0.0.3"));
        Assert.Equal(fromThree[0].MessageId, jiro.MessageId);
        Assert.Equal("今週のお知らせ", jiro.Subject);
        Assert.Equal(250, fromThree[0].Code);
        Assert.Equal("2.0.0", fromThree[0].EnhancedCode);
    }

    [Fact]
    public async Task The_bytes_the_provider_receives_are_exactly_the_composed_message()
    {
        await using var host = await Sandbox.StartAsync("google");
        await using var sender = new SmtpSender(Sandbox.Options());
        var message = new MessageComposer(Sandbox.Issue()).Compose("taro@gmail.com", "t");

        host.Journal.KeepContent = true;
        await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, [message]));

        // Byte for byte: headers first (a blank line in front would turn every header into body text), body after;
        // the simulated provider keeps the data without the CRLF that belongs to the final "CRLF.CRLF".
        var received = Assert.Single(host.Journal.Accepted).Content!;
        Assert.Equal(System.Text.Encoding.ASCII.GetString(message.Content.Span).TrimEnd('\r', '\n'), System.Text.Encoding.ASCII.GetString(received));
        using var parsed = MimeKit.MimeMessage.Load(new MemoryStream(received));
        Assert.Equal(("今週のお知らせ", message.MessageId), (parsed.Subject, parsed.MessageId));
    }

    [Fact]
    public void Message_id_is_the_same_for_the_same_issue_and_reader_and_differs_otherwise()
    {
        var first = new MessageComposer(Sandbox.Issue()).Compose("taro@hotmail.co.jp", "a");
        var again = new MessageComposer(Sandbox.Issue()).Compose("Taro@Hotmail.co.jp", "b");
        var otherReader = new MessageComposer(Sandbox.Issue()).Compose("hanako@hotmail.co.jp", "a");
        var otherIssue = new MessageComposer(Sandbox.Issue("s:7")).Compose("taro@hotmail.co.jp", "a");

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, otherReader.MessageId);
        Assert.NotEqual(first.MessageId, otherIssue.MessageId);
        Assert.Matches("^[a-z2-7]{26}@magazine.example.jp$", first.MessageId);
    }

    [Fact]
    public async Task Opportunistic_tls_falls_back_to_plain_smtp_when_starttls_is_not_offered()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        var options = Sandbox.Options();
        options.OpportunisticTls = true;
        await using var sender = new SmtpSender(options);

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "taro@hotmail.co.jp")));

        Assert.Equal("Accepted=1", Sandbox.Summary(outcomes));
        Assert.DoesNotContain(outcomes[0].Transcript, l => l.StartsWith("C: STARTTLS", StringComparison.Ordinal));
    }
}
