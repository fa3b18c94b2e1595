namespace Hikyaku.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Snapshot_reads_back_as_written()
    {
        var snapshot = new Snapshot(TestEvents.NewStream(), 7, "subscriber.state", """{"status":"active"}""");

        await Store.WriteSnapshotAsync(snapshot);

        Assert.Equal(snapshot, await Store.ReadSnapshotAsync(snapshot.StreamId));
        Assert.Null(await Store.ReadSnapshotAsync("never-snapshotted"));
    }

    [Fact]
    public async Task Older_snapshot_never_replaces_a_newer_one()
    {
        var stream = TestEvents.NewStream();
        var newer = new Snapshot(stream, 400, "subscriber.state", """{"at":400}""");
        await Store.WriteSnapshotAsync(new Snapshot(stream, 200, "subscriber.state", """{"at":200}"""));
        await Store.WriteSnapshotAsync(newer);

        await Store.WriteSnapshotAsync(new Snapshot(stream, 300, "subscriber.state", """{"at":300}"""));

        Assert.Equal(newer, await Store.ReadSnapshotAsync(stream));
    }

    [Fact]
    public async Task Snapshots_queued_with_appends_commit_in_their_transaction_and_the_newest_per_stream_wins()
    {
        // A writer that waits for its whole first batch: three appends and four snapshots, two of one stream.
        var store = await OpenAsync(new EventStoreOptions { MaxBatchSize = 3, MaxBatchDelay = TimeSpan.FromSeconds(1) });
        var streams = Enumerable.Range(0, 3).Select(_ => TestEvents.NewStream()).ToArray();
        var snapshotOf = streams[0];
        var writes = new List<Task>
        {
            store.WriteSnapshotAsync(new Snapshot(snapshotOf, 9, "test.state", """{"at":9}""")),
            store.WriteSnapshotAsync(new Snapshot(snapshotOf, 12, "test.state", """{"at":12}""")),
            store.WriteSnapshotAsync(new Snapshot(snapshotOf, 10, "test.state", """{"at":10}""")),
            store.WriteSnapshotAsync(new Snapshot(streams[1], 1, "test.state", """{"at":1}""")),
        };
        writes.AddRange(streams.Select(s => store.AppendAsync(new AppendRequest(s, 0, TestEvents.Some(1)))));

        await Task.WhenAll(writes);

        Assert.Equal(1, store.CommittedBatches);
        Assert.Equal(new Snapshot(snapshotOf, 12, "test.state", """{"at":12}"""), await store.ReadSnapshotAsync(snapshotOf));
        Assert.Equal(1, (await store.ReadSnapshotAsync(streams[1]))!.Version);
        Assert.All(streams, s => Assert.Equal(1, store.GetStreamVersionAsync(s).Result));
    }

    [Fact]
    public async Task Snapshots_survive_a_batch_that_one_appends_own_data_broke()
    {
        var taken = TestEvents.Some(1);
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, taken));
        var store = await OpenAsync(new EventStoreOptions { MaxBatchSize = 2, MaxBatchDelay = TimeSpan.FromSeconds(1) });
        var snapshot = new Snapshot(TestEvents.NewStream(), 3, "test.state", """{"at":3}""");

        var written = store.WriteSnapshotAsync(snapshot);
        var failing = store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, taken));
        var landing = store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1)));

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => failing);
        Assert.Equal(AppendStatus.Appended, (await landing).Status);
        await written;
        Assert.Equal(snapshot, await store.ReadSnapshotAsync(snapshot.StreamId));
    }

    [Fact]
    public async Task Ten_thousand_event_stream_loads_from_its_snapshot_and_the_tail()
    {
        var stream = TestEvents.NewStream();
        for (var version = 0; version < 10_000; version += 500)
        {
            Assert.Equal(AppendStatus.Appended, (await Store.AppendAsync(new AppendRequest(stream, version, TestEvents.Some(500)))).Status);
        }

        await Store.WriteSnapshotAsync(new Snapshot(stream, 9_800, "test.state", """{"count":9800}"""));

        var snapshot = await Store.ReadSnapshotAsync(stream);
        var tail = await Store.ReadStreamAsync(stream, snapshot!.Version);
        Assert.Equal(Enumerable.Range(9_801, 200), tail.Select(e => e.Version));
        Assert.Equal(10_000, await Store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task State_read_is_the_snapshot_of_that_shape_and_the_events_after_it()
    {
        var stream = TestEvents.NewStream();
        var events = TestEvents.Some(6);
        await Store.AppendAsync(new AppendRequest(stream, 0, events));
        var snapshot = new Snapshot(stream, 4, "test.state", """{"at":4}""");
        await Store.WriteSnapshotAsync(snapshot);

        var state = await Store.ReadStateAsync(stream, "test.state");
        Assert.Equal(snapshot, state.Snapshot);
        Assert.Equal(events.Skip(4).Select(e => e.EventId), state.Events.Select(e => e.EventId));
        Assert.Equal([5, 6], state.Events.Select(e => e.Version));
        Assert.All(state.Events, e => Assert.Equal(stream, e.StreamId));

        // A snapshot of another shape (an older state class) or none asked for: the whole stream.
        foreach (var other in new[] { "test.state.v0", null })
        {
            var whole = await Store.ReadStateAsync(stream, other);
            Assert.Null(whole.Snapshot);
            Assert.Equal(events.Select(e => (e.EventId, e.Type, e.At)), whole.Events.Select(e => (e.EventId, e.Type, e.At)));
            Assert.All(events.Zip(whole.Events), p => Assert.True(TestEvents.SameJson(p.First.Json, p.Second.Json)));
        }

        var unknown = await Store.ReadStateAsync(TestEvents.NewStream(), "test.state");
        Assert.Null(unknown.Snapshot);
        Assert.Empty(unknown.Events);
    }
}
