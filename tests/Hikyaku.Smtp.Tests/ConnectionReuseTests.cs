namespace Hikyaku.Smtp.Tests;

public sealed class ConnectionReuseTests
{
    [Fact]
    public async Task One_session_carries_many_messages_and_is_reused_by_the_next_batch()
    {
        await using var host = await Sandbox.StartAsync("google");
        await using var sender = new SmtpSender(Sandbox.Options(maxMessagesPerConnection: 100));
        var composer = new Composition.MessageComposer(Sandbox.Issue());
        var readers = Enumerable.Range(0, 260).Select(i => $"r{i}@gmail.com").ToArray();

        var first = await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, Sandbox.Messages(composer, readers[..200])));
        Assert.Equal(2, sender.ConnectionsOpened); // 100 messages per session
        var second = await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, Sandbox.Messages(composer, readers[200..230])));
        var third = await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, Sandbox.Messages(composer, readers[230..])));

        Assert.Equal("Accepted=260", Sandbox.Summary(first.Concat(second).Concat(third)));
        Assert.Equal(3, sender.ConnectionsOpened); // the third session served the second and third batch
        Assert.Equal(260, host.Journal.AcceptedCount);
        Assert.Contains(first[0].Transcript, l => l.StartsWith("C: EHLO mta.hikyaku.test"));
        Assert.DoesNotContain(first[1].Transcript, l => l.StartsWith("C: EHLO"));
    }

    [Fact]
    public async Task A_batch_is_spread_over_up_to_its_connection_limit()
    {
        await using var host = await Sandbox.StartAsync("google");
        await using var sender = new SmtpSender(Sandbox.Options());
        var composer = new Composition.MessageComposer(Sandbox.Issue());
        var readers = Enumerable.Range(0, 40).Select(i => $"r{i}@gmail.com").ToArray();

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip3, Sandbox.Messages(composer, readers), connections: 4));

        Assert.Equal("Accepted=40", Sandbox.Summary(outcomes));
        Assert.Equal(readers, outcomes.Select(o => o.Recipient)); // outcomes in batch order
        Assert.Equal(4, sender.ConnectionsOpened);
        Assert.Empty(host.Journal.Duplicates());
    }

    [Fact]
    public async Task Connections_per_target_never_exceed_the_pool_limit()
    {
        await using var host = await Sandbox.StartAsync("google");
        var options = Sandbox.Options();
        options.MaxConnectionsPerTarget = 2;
        await using var sender = new SmtpSender(options);
        var composer = new Composition.MessageComposer(Sandbox.Issue());
        var readers = Enumerable.Range(0, 30).Select(i => $"r{i}@gmail.com").ToArray();

        var outcomes = await Task.WhenAll(
            sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, Sandbox.Messages(composer, readers[..15]), connections: 10)),
            sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, Sandbox.Messages(composer, readers[15..]), connections: 10)));

        Assert.Equal("Accepted=30", Sandbox.Summary(outcomes.SelectMany(o => o)));
        Assert.Equal(2, sender.ConnectionsOpened);
    }
}
