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
}
