namespace Hikyaku.EventStore.Tests.Contract;

// What an operator watches on a running silo: commit times and sizes, append waits, the queue and failures.
public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Metrics_count_every_append_and_commit_and_no_append_waits_less_than_a_commit()
    {
        var store = await OpenAsync(new EventStoreOptions());
        using var metrics = new MeterRecorder(store.Meter);
        var requests = Enumerable.Range(0, 500).Select(_ => new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1))).ToList();

        await Task.WhenAll(requests.Select(r => store.AppendAsync(r)));

        var commits = metrics.Values("hikyaku.eventstore.commit.duration");
        var appends = metrics.Values("hikyaku.eventstore.append.duration");
        Assert.Equal(store.CommittedBatches, commits.Count);
        Assert.Equal(500, metrics.Values("hikyaku.eventstore.commit.appends").Sum());
        Assert.All(commits, seconds => Assert.InRange(seconds, 1e-6, 60));
        Assert.Equal(500, appends.Count);

        // An append is answered only after its batch committed.
        Assert.True(appends.Min() >= commits.Min(), $"an append was answered after {appends.Min()} s, less than the shortest commit ({commits.Min()} s)");
        Assert.Equal(0, metrics.Observe("hikyaku.eventstore.commit.active"));
        Assert.Equal(0, metrics.Observe("hikyaku.eventstore.append.queued"));
        Assert.Empty(metrics.Values("hikyaku.eventstore.commit.failures"));
    }

    [Fact]
    public async Task Appends_arriving_while_a_batch_collects_show_as_queued()
    {
        var store = await OpenAsync(new EventStoreOptions { MaxBatchDelay = TimeSpan.FromSeconds(1) });
        using var metrics = new MeterRecorder(store.Meter);
        var first = store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1)));
        var stream = TestEvents.NewStream();

        // The first append opens a batch; the writer keeps it open for a second. Two appends to one stream arriving
        // now wait: the first for that second to pass, the second for the first's batch to commit.
        await WaitUntil(() => metrics.Observe("hikyaku.eventstore.append.queued") == 0);
        var later = new[]
        {
            store.AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(1))),
            store.AppendAsync(new AppendRequest(stream, 1, TestEvents.Some(1))),
        };

        Assert.Equal(2, metrics.Observe("hikyaku.eventstore.append.queued"));
        await Task.WhenAll([first, .. later]);
        Assert.Equal(0, metrics.Observe("hikyaku.eventstore.append.queued"));
        Assert.Equal(3, metrics.Values("hikyaku.eventstore.commit.appends").Sum());
    }

    [Fact]
    public async Task A_failed_transaction_is_counted()
    {
        var taken = TestEvents.Some(1);
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, taken));
        using var metrics = new MeterRecorder(Store.Meter);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, taken)));

        Assert.Equal([1.0], metrics.Values("hikyaku.eventstore.commit.failures"));
        Assert.Empty(metrics.Values("hikyaku.eventstore.commit.duration"));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition(), "the condition did not hold within a second");
    }
}
