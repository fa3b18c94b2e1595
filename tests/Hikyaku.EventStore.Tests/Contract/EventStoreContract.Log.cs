namespace Hikyaku.EventStore.Tests.Contract;

/// <summary>The global log, checkpoints and rebuilt rows: what a projection rebuild reads and writes.</summary>
public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Global_log_pages_through_every_stream_in_append_order_without_gaps_or_repeats()
    {
        var a = TestEvents.NewStream();
        var b = TestEvents.NewStream();
        var appended = new List<(string Stream, Guid Id)>();
        foreach (var (stream, expected) in new[] { (a, 0), (b, 0), (a, 2), (b, 2) })
        {
            var events = TestEvents.Some(2);
            await Store.AppendAsync(new AppendRequest(stream, expected, events));
            appended.AddRange(events.Select(e => (stream, e.EventId)));
        }

        var read = new List<LoggedEvent>();
        for (var page = await Store.ReadAllAsync(0, 3); page.Count > 0; page = await Store.ReadAllAsync(page[^1].Position, 3))
        {
            Assert.InRange(page.Count, 1, 3);
            read.AddRange(page);
        }

        Assert.Equal(appended, read.Select(e => (e.Event.StreamId, e.Event.EventId)));
        Assert.Equal(read.Select(e => e.Position).Order(), read.Select(e => e.Position));
        Assert.Equal(read.Count, read.Select(e => e.Position).Distinct().Count());
        Assert.Equal([1, 2, 1, 2, 3, 4, 3, 4], read.Select(e => e.Event.Version));
        var stored = await Store.ReadStreamAsync(a);
        Assert.Equal(stored, read.Where(e => e.Event.StreamId == a).Select(e => e.Event));
    }

    [Fact]
    public async Task Global_log_after_its_last_position_is_empty_until_the_next_append()
    {
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(2)));
        var last = (await Store.ReadAllAsync(0, 100))[^1].Position;

        Assert.Empty(await Store.ReadAllAsync(last, 100));

        var next = TestEvents.Some(1);
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, next));
        var tail = Assert.Single(await Store.ReadAllAsync(last, 100));
        Assert.Equal(next[0].EventId, tail.Event.EventId);
        Assert.True(tail.Position > last);
    }

    [Fact]
    public async Task Global_log_with_a_stream_prefix_skips_other_streams_and_takes_the_prefix_literally()
    {
        var readers = new[] { TestEvents.NewStream("reader:t_1"), TestEvents.NewStream("reader:t_1") };
        foreach (var stream in (string[])[TestEvents.NewStream("tenant:t_1"), readers[0], TestEvents.NewStream("reader:tx1"), readers[1]])
        {
            await Store.AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(2)));
        }

        var first = await Store.ReadAllAsync(0, 3, "reader:t_1/");
        var rest = await Store.ReadAllAsync(first[^1].Position, 3, "reader:t_1/");

        Assert.Equal(3, first.Count);
        Assert.Equal(
            [(readers[0], 1), (readers[0], 2), (readers[1], 1), (readers[1], 2)],
            first.Concat(rest).Select(e => (e.Event.StreamId, e.Event.Version)));
    }

    [Fact]
    public async Task Checkpoint_is_absent_until_written_then_reads_back_and_can_be_moved_back_to_zero()
    {
        Assert.Null(await Store.ReadCheckpointAsync("subscribers"));

        await Store.WriteCheckpointAsync("subscribers", 1234);
        await Store.WriteCheckpointAsync("other", 7);
        var second = await OpenAsync(new EventStoreOptions());
        var written = await second.ReadCheckpointAsync("subscribers");
        await Store.WriteCheckpointAsync("subscribers", 0);

        Assert.Equal(1234, written);
        Assert.Equal(0, await Store.ReadCheckpointAsync("subscribers"));
        Assert.Equal(7, await Store.ReadCheckpointAsync("other"));
    }

    [Fact]
    public async Task Rebuilt_rows_replace_older_or_equal_versions_and_never_a_newer_one()
    {
        var newer = TestEvents.Row("live@example.jp", "unsubscribed", version: 9);
        await Store.Subscribers.UpsertAsync(newer);
        await Store.Subscribers.UpsertAsync(TestEvents.Row("stale@example.jp", version: 3));
        await Store.Subscribers.UpsertAsync(TestEvents.Row("corrupt@example.jp", "active", version: 5));
        var fixedStale = TestEvents.Row("stale@example.jp", "bounced", version: 4);
        var fixedCorrupt = TestEvents.Row("corrupt@example.jp", "bounced", version: 5);
        var missing = TestEvents.Row("missing@example.jp", version: 2);

        await Store.Subscribers.UpsertRebuiltAsync([TestEvents.Row("live@example.jp", "active", version: 8), fixedStale, fixedCorrupt, missing]);

        Assert.Equal(newer, await Store.Subscribers.GetAsync("tenant-a", "weekly", "live@example.jp"));
        Assert.Equal(fixedStale, await Store.Subscribers.GetAsync("tenant-a", "weekly", "stale@example.jp"));
        Assert.Equal(fixedCorrupt, await Store.Subscribers.GetAsync("tenant-a", "weekly", "corrupt@example.jp"));
        Assert.Equal(missing, await Store.Subscribers.GetAsync("tenant-a", "weekly", "missing@example.jp"));
    }
}
