using Hikyaku.Smtp.Composition;

namespace Hikyaku.Smtp.Tests;

public sealed class ReturnPathTests
{
    [Fact]
    public async Task Each_reader_gets_its_own_return_path_as_MAIL_FROM_while_the_From_header_stays_the_magazines()
    {
        await using var host = await Sandbox.StartAsync("google");
        await using var sender = new SmtpSender(Sandbox.Options());
        var composer = new MessageComposer(Sandbox.Issue());
        var taro = composer.Compose("taro@gmail.com", "t1", returnPath: "bounce+aaaa@bounce.example.jp");
        var hanako = composer.Compose("hanako@gmail.com", "t2", returnPath: "bounce+bbbb@bounce.example.jp");
        var jiro = composer.Compose("jiro@gmail.com", "t3");

        await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, [taro, hanako, jiro]));

        var senders = host.Journal.Accepted.ToDictionary(m => m.Recipient, m => m.Sender);
        Assert.Equal("bounce+aaaa@bounce.example.jp", senders["taro@gmail.com"]);
        Assert.Equal("bounce+bbbb@bounce.example.jp", senders["hanako@gmail.com"]);
        Assert.Equal("bounce@magazine.example.jp", senders["jiro@gmail.com"]);
        var from = MimeKit.MimeMessage.Load(new MemoryStream(taro.Content.ToArray())).From.Mailboxes.Single().Address;
        Assert.Equal(Sandbox.Issue().FromAddress, from);
    }
}
