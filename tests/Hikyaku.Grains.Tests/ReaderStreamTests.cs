using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.EventStore;
using Hikyaku.EventStore.Serialization;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ReaderStreamTests(ClusterFixture fixture)
{
    private static string NewReaderKey() => GrainKeys.Reader("t1", "news", $"r{Guid.NewGuid():N}@example.jp");

    private static async Task<string[]> TypesInStore(string key) =>
        (await ClusterFixture.Store.Inner.ReadStreamAsync($"reader:{key}")).Select(e => e.Type).ToArray();

    [Fact]
    public async Task A_write_whose_answer_was_lost_is_stored_once_and_the_grain_stays_consistent()
    {
        var key = NewReaderKey();
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        Assert.True((await reader.Subscribe("A", null, "api")).Succeeded);

        ClusterFixture.Store.FailNextAppendAfterCommit();
        var unsubscribed = await reader.Unsubscribe("api");

        Assert.Equal(SubscriberStatus.Unsubscribed, unsubscribed.Value!.Status);
        Assert.Equal(["reader.subscribed", "reader.unsubscribed"], await TypesInStore(key));
        Assert.True((await reader.Subscribe("A", null, "api")).Succeeded);
        var stored = await ClusterFixture.Store.Inner.ReadStreamAsync($"reader:{key}");
        Assert.Equal([1, 2, 3], stored.Select(e => e.Version));
        Assert.Equal(3, stored.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task An_event_written_behind_the_grains_back_is_kept_and_the_grains_event_follows_it()
    {
        var key = NewReaderKey();
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        Assert.True((await reader.Subscribe(null, null, "api")).Succeeded);

        // Another writer (say a silo that still believed it owned the reader) appends version 2.
        var serializer = new EventSerializer(HikyakuEventTypes.CreateRegistry());
        var at = ClusterFixture.Time.GetUtcNow();
        var behind = new ReaderErrorStopped(Guid.NewGuid(), at, "userunknown", "550 5.1.1 unknown");
        var appended = await ClusterFixture.Store.Inner.AppendAsync(new AppendRequest($"reader:{key}", 1, [serializer.ToEventData(behind, at, behind.EventId)]));
        Assert.Equal(AppendStatus.Appended, appended.Status);

        await reader.Unsubscribe("api");

        Assert.Equal(["reader.subscribed", "reader.error-stopped", "reader.unsubscribed"], await TypesInStore(key));
        Assert.Equal(SubscriberStatus.Unsubscribed, (await reader.Get())!.Status);
    }

    [Fact]
    public async Task The_projection_row_is_written_with_the_events_and_carries_the_stream_version()
    {
        var key = NewReaderKey();
        var (tenant, magazine, email) = GrainKeys.SplitReader(key);
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        await reader.Subscribe(null, null, "api");
        await reader.Unsubscribe("api");

        var row = await ClusterFixture.Store.Subscribers.GetAsync(tenant, magazine, email);
        Assert.Equal((SubscriberStatus.Unsubscribed, "api", 2, "example.jp"), (row!.Status, row.StatusReason, row.StreamVersion, row.Domain));
    }

    [Fact]
    public async Task A_delivery_to_an_active_reader_leaves_its_row_alone_and_an_error_stop_writes_it_with_the_reply()
    {
        var key = NewReaderKey();
        var (tenant, magazine, email) = GrainKeys.SplitReader(key);
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        await reader.Subscribe(null, null, "api");

        var delivered = await reader.RecordAttempt(Attempt("b1", new ReplyRecord(250, "2.0.0", "Ok: queued as 4F2A", ReplyStage.Data, true)));
        Assert.Equal(RecipientResults.Delivered, delivered.Result);
        var afterDelivery = await ClusterFixture.Store.Subscribers.GetAsync(tenant, magazine, email);
        Assert.Equal((SubscriberStatus.Active, 1, (string?)null), (afterDelivery!.Status, afterDelivery.StreamVersion, afterDelivery.LastReply));

        var unknown = await reader.RecordAttempt(Attempt("b2", new ReplyRecord(550, "5.1.1", "user unknown", ReplyStage.Rcpt, true)));
        var afterStop = await ClusterFixture.Store.Subscribers.GetAsync(tenant, magazine, email);
        Assert.Equal(RecipientResults.ErrorStopped, unknown.Result);
        Assert.Equal((SubscriberStatus.ErrorStopped, 4), (afterStop!.Status, afterStop.StreamVersion));
        Assert.Contains("5.1.1 user unknown", afterStop.LastReply);
    }

    private static AttemptReport Attempt(string broadcast, ReplyRecord reply) =>
        new(MessageKey.Broadcast(broadcast), $"<{broadcast}@example.jp>", "127.0.0.2", "mx.example.jp", reply, "transcript", 1, Hikyaku.Domain.Delivery.DeliveryDecision.Decide(reply, lastAttempt: true));

    [Fact]
    public async Task Events_carry_the_time_of_the_grains_time_provider()
    {
        var key = NewReaderKey();
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        ClusterFixture.Time.Advance(TimeSpan.FromDays(3));
        var expected = ClusterFixture.Time.GetUtcNow();
        await reader.Subscribe(null, null, "api");

        Assert.Equal(expected, (await reader.Get())!.SubscribedAt);
        Assert.Equal(expected, (await reader.History()).Single().At);
    }

    [Fact]
    public async Task A_long_history_reactivates_from_its_snapshot_and_only_the_tail()
    {
        var key = NewReaderKey();
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        await reader.Subscribe("Long", null, "api");
        for (var i = 0; i < 120; i++)
        {
            await reader.Unsubscribe("api");
            await reader.Subscribe("Long", null, "api");
        }

        // 241 events: snapshots were taken when the version crossed 50, 100, 150, 200.
        var snapshot = await WaitForSnapshot($"reader:{key}", 200);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var view = await reader.Get();

        Assert.Equal((SubscriberStatus.Active, "Long"), (view!.Status, view.Name));
        Assert.Equal(snapshot.Version, ClusterFixture.Store.LastReadAfterVersion);
        Assert.Equal(241, (await reader.History()).Count);
    }

    [Fact]
    public async Task Final_results_survive_the_snapshot_so_a_reactivated_reader_is_never_sent_an_issue_twice()
    {
        var key = NewReaderKey();
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        await reader.Subscribe(null, null, "api");
        for (var i = 0; i < 60; i++)
        {
            await reader.RecordAttempt(Attempt($"b{i}", new ReplyRecord(250, "2.0.0", "Ok", ReplyStage.Data, true)));
        }

        var snapshot = await WaitForSnapshot($"reader:{key}", 50);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(PrepareVerdict.AlreadyFinal, (await reader.PrepareDelivery(MessageKey.Broadcast("b3"))).Verdict);
        Assert.Equal(snapshot.Version, ClusterFixture.Store.LastReadAfterVersion); // it came back from the snapshot
        Assert.Equal(PrepareVerdict.AlreadyFinal, (await reader.PrepareDelivery(MessageKey.Broadcast("b59"))).Verdict);
        Assert.Equal(PrepareVerdict.Send, (await reader.PrepareDelivery(MessageKey.Broadcast("b60"))).Verdict);
    }

    [Fact]
    public async Task A_state_much_larger_than_its_events_is_snapshotted_once_four_times_its_bytes_of_events_follow_it()
    {
        // 40 fields of 1,000 characters: a 40 KB state, against deliveries of a few hundred bytes each.
        var key = NewReaderKey();
        var stream = $"reader:{key}";
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        var fields = Enumerable.Range(0, 40).ToDictionary(i => $"f{i}", i => new string((char)('a' + (i % 26)), 1000));
        await reader.Subscribe("Big", fields, "api");
        var version = 1;
        while (version < ClusterFixture.SnapshotEvery)
        {
            await reader.RecordAttempt(Attempt($"b{version++}", new ReplyRecord(250, "2.0.0", "Ok", ReplyStage.Data, true)));
        }

        var first = await WaitForSnapshot(stream, ClusterFixture.SnapshotEvery);
        Assert.Equal(ClusterFixture.SnapshotEvery, first.Version);

        // Deliver until the events since the snapshot are as many, and as large, as the rule asks.
        long bytesSince = 0;
        while (true)
        {
            await reader.RecordAttempt(Attempt($"b{version++}", new ReplyRecord(250, "2.0.0", "Ok", ReplyStage.Data, true)));
            bytesSince += (await reader.History()).Single(e => e.Version == version).Data.Length;
            if (version - first.Version >= ClusterFixture.SnapshotEvery && bytesSince >= EventSourcedGrain<Hikyaku.Domain.Readers.ReaderState, ReaderEvent>.SnapshotTailFactor * first.Json.Length)
            {
                break;
            }

            Assert.Equal(first.Version, (await ClusterFixture.Store.ReadSnapshotAsync(stream))!.Version);
        }

        Assert.True(version - first.Version > ClusterFixture.SnapshotEvery, $"the snapshot was due after only {version - first.Version} events");

        // Exactly there: a snapshot taken any earlier would have moved the next one further on.
        var second = await WaitForSnapshot(stream, version);
        Assert.Equal(version, second.Version);
    }

    private static async Task<Snapshot> WaitForSnapshot(string streamId, int version)
    {
        // Snapshots are written after the event, off the grain's turn; poll briefly for it.
        for (var i = 0; i < 100; i++)
        {
            if (await ClusterFixture.Store.ReadSnapshotAsync(streamId) is { } s && s.Version >= version)
            {
                return s;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"no snapshot at version {version} of {streamId}");
    }
}
