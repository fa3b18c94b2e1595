namespace Hikyaku.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Thousand_concurrent_appends_to_distinct_streams_all_succeed_in_a_few_transactions()
    {
        var batchesBefore = Store.CommittedBatches;
        var requests = Enumerable.Range(0, 1000).Select(_ => new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1))).ToList();

        var results = await Task.WhenAll(requests.Select(r => Store.AppendAsync(r)));

        Assert.All(results, r => Assert.Equal(new AppendResult(AppendStatus.Appended, 1), r));
        Assert.InRange(Store.CommittedBatches - batchesBefore, 1, 50);
        Assert.Equal(1, await Store.GetStreamVersionAsync(requests[999].StreamId));
    }

    [Fact]
    public async Task Conflict_inside_a_batch_does_not_fail_its_neighbours()
    {
        var contested = TestEvents.NewStream();
        await Store.AppendAsync(new AppendRequest(contested, 0, TestEvents.Some(1)));

        // A fresh writer with room for exactly these 101 appends waits long enough for all to join its first batch.
        var store = await OpenAsync(new EventStoreOptions { MaxBatchSize = 101, MaxBatchDelay = TimeSpan.FromSeconds(1) });
        var neighbours = Enumerable.Range(0, 100).Select(_ => new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(2))).ToList();

        var conflict = store.AppendAsync(new AppendRequest(contested, 0, TestEvents.Some(1)));
        var results = await Task.WhenAll(neighbours.Select(r => store.AppendAsync(r)));

        Assert.Equal(new AppendResult(AppendStatus.Conflict, 1), await conflict);
        Assert.Equal(1, store.CommittedBatches);
        Assert.All(results, r => Assert.Equal(new AppendResult(AppendStatus.Appended, 2), r));
        Assert.Equal(2, await store.GetStreamVersionAsync(neighbours[50].StreamId));
    }

    [Fact]
    public async Task Append_reusing_another_streams_event_id_fails_alone_and_its_batch_neighbours_land()
    {
        var taken = TestEvents.Some(1);
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, taken));
        var store = await OpenAsync(new EventStoreOptions { MaxBatchSize = 3, MaxBatchDelay = TimeSpan.FromSeconds(1) });
        var culprit = new AppendRequest(TestEvents.NewStream(), 0, taken);
        var neighbours = new[] { new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1)), new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1)) };

        var failing = store.AppendAsync(culprit);
        var landing = neighbours.Select(r => store.AppendAsync(r)).ToArray();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => failing);
        Assert.All(await Task.WhenAll(landing), r => Assert.Equal(new AppendResult(AppendStatus.Appended, 1), r));
        Assert.Equal(0, await store.GetStreamVersionAsync(culprit.StreamId));
    }

    [Fact]
    public async Task Two_queued_appends_to_one_stream_commit_in_order()
    {
        var stream = TestEvents.NewStream();
        var first = TestEvents.Some(1);
        var second = TestEvents.Some(1);

        // Not awaited in between: both wait in the queue, the second one's expected version needs the first.
        var results = await Task.WhenAll(
            Store.AppendAsync(new AppendRequest(stream, 0, first)),
            Store.AppendAsync(new AppendRequest(stream, 1, second)));

        Assert.Equal([new AppendResult(AppendStatus.Appended, 1), new AppendResult(AppendStatus.Appended, 2)], results);
        Assert.Equal([first[0].EventId, second[0].EventId], (await Store.ReadStreamAsync(stream)).Select(e => e.EventId));
    }

    [Fact]
    public async Task Appends_queued_behind_their_streams_committing_batch_land_in_order_while_other_batches_commit()
    {
        // Small batches, so that many commit one after another (and, where the backend allows, at the same time):
        // each stream's five appends are queued at once and each needs the one before it.
        var store = await OpenAsync(new EventStoreOptions { MaxBatchSize = 50, MaxBatchDelay = TimeSpan.Zero });
        var streams = Enumerable.Range(0, 200).Select(_ => TestEvents.NewStream()).ToArray();
        var events = streams.ToDictionary(s => s, _ => Enumerable.Range(0, 5).Select(_ => TestEvents.Some(1)).ToArray());

        var appends = streams.SelectMany(s => Enumerable.Range(0, 5).Select(v => store.AppendAsync(new AppendRequest(s, v, events[s][v])))).ToArray();
        var results = await Task.WhenAll(appends);

        Assert.All(results, r => Assert.Equal(AppendStatus.Appended, r.Status));
        Assert.True(store.CommittedBatches >= 20, $"{store.CommittedBatches} batches");
        foreach (var s in streams.Take(20))
        {
            Assert.Equal(events[s].Select(e => e[0].EventId), (await store.ReadStreamAsync(s)).Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task Appends_still_queued_when_the_store_is_disposed_are_all_written_first()
    {
        // Not opened through OpenAsync: this test disposes the store itself, in the middle of the work.
        var store = await CreateStoreAsync(new EventStoreOptions { MaxBatchSize = 50, MaxBatchDelay = TimeSpan.FromMilliseconds(5) });
        await store.InitializeAsync();
        var streams = Enumerable.Range(0, 100).Select(_ => TestEvents.NewStream()).ToArray();
        var events = streams.ToDictionary(s => s, _ => Enumerable.Range(0, 3).Select(_ => TestEvents.Some(1)).ToArray());
        var appends = streams.SelectMany(s => Enumerable.Range(0, 3).Select(v => store.AppendAsync(new AppendRequest(s, v, events[s][v])))).ToArray();

        await store.DisposeAsync();

        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully, "an append accepted before disposal was left unanswered"));
        Assert.All(appends, a => Assert.Equal(AppendStatus.Appended, a.Result.Status));
        foreach (var s in streams)
        {
            Assert.Equal(events[s].Select(e => e[0].EventId), (await Store.ReadStreamAsync(s)).Select(e => e.EventId));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1))));
    }

    [Fact]
    public async Task Without_group_commit_every_append_is_its_own_transaction()
    {
        var store = await OpenAsync(new EventStoreOptions { MaxBatchSize = 1, MaxBatchDelay = TimeSpan.Zero });

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1)))));

        Assert.All(results, r => Assert.Equal(AppendStatus.Appended, r.Status));
        Assert.Equal(20, store.CommittedBatches);
    }
}
