using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class AcceptedMailTests
{
    [Fact]
    public async Task Accepted_mail_is_recorded_with_recipient_message_id_subject_and_source_ip()
    {
        var clock = new FakeTimeProvider(Simulator.Start);
        await using var host = await Simulator.StartAsync(clock, Simulator.Provider("microsoft", "taro@hotmail.com", "hanako@live.jp"));
        var server = host.ResolveEndpoint("hotmail.com")!;

        await SmtpTestClient.SendAsync(server, "127.0.0.2", SmtpTestClient.Message("taro@hotmail.com", "今週のお知らせ 第1号", "issue-1@sender.example"));
        await SmtpTestClient.SendAsync(server, "127.0.0.3", SmtpTestClient.Message("hanako@live.jp", "Weekly news", "issue-2@sender.example"));

        var accepted = host.Journal.Accepted.OrderBy(m => m.MessageId).ToList();
        Assert.Equal(2, accepted.Count);
        Assert.Equal(
            ("microsoft", "taro@hotmail.com", "issue-1@sender.example", "今週のお知らせ 第1号", "127.0.0.2", Simulator.Start),
            (accepted[0].Provider, accepted[0].Recipient, accepted[0].MessageId, accepted[0].Subject, accepted[0].SourceIp.ToString(), accepted[0].Time));
        Assert.Equal(
            ("hanako@live.jp", "issue-2@sender.example", "Weekly news", "127.0.0.3"),
            (accepted[1].Recipient, accepted[1].MessageId, accepted[1].Subject, accepted[1].SourceIp.ToString()));
        Assert.True(accepted[0].Size > 100);
        Assert.Empty(host.Journal.Rejected);
    }

    [Fact]
    public async Task Five_hundred_messages_over_one_connection_are_each_recorded_once()
    {
        var clock = new FakeTimeProvider(Simulator.Start);
        await using var host = await Simulator.StartAsync(clock, new ProviderOptions { Profile = "google", AcceptAll = true });

        using (var client = await SmtpTestClient.ConnectAsync(host.ResolveEndpoint("gmail.com")!, "127.0.0.2"))
        {
            for (var i = 0; i < 500; i++)
                await client.SendAsync(SmtpTestClient.Message($"reader{i}@gmail.com", $"Issue {i}", $"m{i}@sender.example"));
            await client.DisconnectAsync(quit: true);
        }

        Assert.Equal(500, host.Journal.AcceptedCount);
        Assert.Empty(host.Journal.Duplicates());
        Assert.Equal(500, host.Journal.Accepted.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(1, host.Journal.CountFor("reader499@gmail.com"));
        Assert.Equal(500, host.Journal.CountsBySource()[System.Net.IPAddress.Parse("127.0.0.2")]);
    }
}
