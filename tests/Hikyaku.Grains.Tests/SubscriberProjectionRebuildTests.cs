using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.EventStore;
using Hikyaku.EventStore.Serialization;
using Hikyaku.EventStore.Sqlite;
using Hikyaku.Grains.Projections;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Tests;

/// <summary>
/// Readers written through their grains, then hk_subscribers rebuilt from the log: the rebuilt rows must be
/// exactly the rows the grains wrote with their events. Each test has its own tenant, and rebuilds only its
/// readers' streams (<c>reader:{tenant}/</c>), under a checkpoint of its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriberProjectionRebuildTests(ClusterFixture fixture)
{
    private const string Magazine = "news";
    private static readonly EventSerializer Serializer = new(HikyakuEventTypes.CreateRegistry());
    private static readonly ReplyRecord Ok = new(250, "2.0.0", "Ok: queued", ReplyStage.Data, true);
    private static readonly ReplyRecord Unknown = new(550, "5.1.1", "user unknown", ReplyStage.Rcpt, true);
    private static readonly ReplyRecord Full = new(452, "4.2.2", "mailbox full", ReplyStage.Rcpt, true);
    private readonly string _tenant = $"rb{Guid.NewGuid():N}"[..14];

    private static IEventStore Store => ClusterFixture.Store.Inner;

    private static IEventLog Log => (IEventLog)Store;

    [Fact]
    public async Task Rebuild_puts_corrupted_rows_back_to_exactly_what_the_grains_wrote()
    {
        var written = await WriteReaders();
        var index = ClusterFixture.Store.Subscribers;
        await index.UpsertAsync(written[0] with { Status = SubscriberStatus.Active, StatusReason = null, LastReply = null });
        await index.UpsertAsync(written[1] with { Domain = "corrupt.example", StreamVersion = 1 });
        await index.UpsertAsync(written[2] with { UpdatedAt = written[2].UpdatedAt.AddYears(-1), StreamVersion = 0 });
        Assert.NotEqual(written, await RowsIn(index));

        var rebuilder = Rebuilder(index, pageSize: 4);
        await rebuilder.StartOverAsync();
        var totals = await rebuilder.RunToEndAsync();

        Assert.Equal(written, await RowsIn(index));
        Assert.Equal(written.Count, totals.StreamsStarted);
        Assert.Equal(await Log.ReadCheckpointAsync(CheckpointName), totals.Position);
    }

    [Fact]
    public async Task Events_written_by_grains_while_a_rebuild_runs_are_folded_into_the_rows_it_rebuilds()
    {
        var before = await WriteReaders();
        await using var wiped = await EmptyProjection.OpenAsync();
        var rebuilder = Rebuilder(wiped.Store.Subscribers, pageSize: 3);
        await rebuilder.StartOverAsync();
        await rebuilder.RunPageAsync();

        var after = await WriteMoreHistory();
        await rebuilder.RunToEndAsync();

        Assert.NotEqual(before, after);
        Assert.Equal(after, await RowsIn(wiped.Store.Subscribers));
    }

    [Fact]
    public async Task Rebuild_stopped_part_way_resumes_from_its_checkpoint_and_converges_to_the_same_rows()
    {
        await WriteReaders();
        var positions = (await Log.ReadAllAsync(0, 10_000, $"reader:{_tenant}/")).Select(e => e.Position).ToList();
        await using var wiped = await EmptyProjection.OpenAsync();

        // The second page's rows are written, then the rebuild is stopped before its checkpoint moves.
        using var stop = new CancellationTokenSource();
        var first = Rebuilder(new StopAfterWrites(wiped.Store.Subscribers, writes: 2, stop), pageSize: 3);
        await first.StartOverAsync();
        var page1 = await first.RunPageAsync(stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunPageAsync(stop.Token));
        var checkpoint = await Log.ReadCheckpointAsync(CheckpointName);

        // The readers go on living while the rebuild is stopped; then a new rebuilder takes over, as after a
        // silo restart: nothing in memory, only the checkpoint.
        var written = await WriteMoreHistory();
        var resumed = await Rebuilder(wiped.Store.Subscribers, pageSize: 3).RunToEndAsync();

        Assert.Equal((positions[2], positions[2]), (page1.Position, checkpoint));
        Assert.Equal(checkpoint, resumed.From);
        Assert.True(resumed.Position > positions[^1]);
        Assert.Equal(written, await RowsIn(wiped.Store.Subscribers));
    }

    private string CheckpointName => $"test-{_tenant}";

    private SubscriberProjectionRebuilder Rebuilder(ISubscriberIndex target, int pageSize) =>
        new(Store, Log, target, Serializer, new SubscriberRebuildOptions { CheckpointName = CheckpointName, StreamPrefix = $"reader:{_tenant}/", PageSize = pageSize });

    private Task<IReadOnlyList<SubscriberRow>> RowsIn(ISubscriberIndex index) => index.PageAsync(_tenant, Magazine, null, null, 100);

    /// <summary>
    /// Six readers whose histories interleave in the log (so each spans pages), covering every row-changing
    /// path: deliveries that leave an active row alone, an error stop written with its attempt, a restore, an
    /// unsubscribe, a late hard bounce, and a reply to a stopped reader that changes only the row's last reply.
    /// </summary>
    private async Task<IReadOnlyList<SubscriberRow>> WriteReaders()
    {
        var readers = Readers();
        foreach (var reader in readers)
        {
            Assert.True((await reader.Subscribe(null, null, "api")).Succeeded);
        }

        foreach (var reader in readers)
        {
            await reader.RecordAttempt(Attempt("b1", Ok));
        }

        ClusterFixture.Time.Advance(TimeSpan.FromMinutes(5));
        await readers[0].RecordAttempt(Attempt("b2", Unknown));
        await readers[1].RecordAttempt(Attempt("b2", Unknown));
        await readers[2].Unsubscribe("api");
        await readers[3].RecordBounce(new BounceNotice($"bounce-{_tenant}", BounceKinds.Bounce, "b1", "userunknown", "5.1.1", 550, true, "address-dead", null, "550 5.1.1 no such user", "dsn"));
        await readers[5].RecordAttempt(Attempt("b2", Ok));
        ClusterFixture.Time.Advance(TimeSpan.FromMinutes(5));
        await readers[1].Restore("operator");
        await readers[0].RecordAttempt(Attempt("b3", Full));
        await readers[1].RecordAttempt(Attempt("b3", Ok));

        var rows = await RowsIn(ClusterFixture.Store.Subscribers);
        Assert.Equal(
            [SubscriberStatus.ErrorStopped, SubscriberStatus.Active, SubscriberStatus.Unsubscribed, SubscriberStatus.ErrorStopped, SubscriberStatus.Active, SubscriberStatus.Active],
            rows.Select(r => r.Status));
        Assert.Contains("452 4.2.2", rows[0].LastReply);
        return rows;
    }

    /// <summary>What happens to the same readers next: every row but the fifth changes.</summary>
    private async Task<IReadOnlyList<SubscriberRow>> WriteMoreHistory()
    {
        var readers = Readers();
        ClusterFixture.Time.Advance(TimeSpan.FromMinutes(5));
        await readers[0].Restore("operator");
        await readers[1].RecordAttempt(Attempt("b4", Unknown));
        Assert.True((await readers[2].Subscribe(null, null, "api")).Succeeded);
        await readers[3].RecordAttempt(Attempt("b4", Full));
        await readers[4].RecordAttempt(Attempt("b4", Ok));
        await readers[5].Unsubscribe("complaint");
        return await RowsIn(ClusterFixture.Store.Subscribers);
    }

    private ISubscriberGrain[] Readers() =>
        Enumerable.Range(1, 6).Select(i => fixture.Grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader(_tenant, Magazine, $"reader{i}@example.jp"))).ToArray();

    private static AttemptReport Attempt(string broadcast, ReplyRecord reply) =>
        new(MessageKey.Broadcast(broadcast), $"<{broadcast}@example.jp>", "127.0.0.2", "mx.example.jp", reply, "transcript", 1, Hikyaku.Domain.Delivery.DeliveryDecision.Decide(reply, lastAttempt: true));

    /// <summary>A fresh SQLite store whose hk_subscribers is empty: the projection wiped.</summary>
    private sealed class EmptyProjection(string path, SqliteEventStore store) : IAsyncDisposable
    {
        public SqliteEventStore Store => store;

        public static async Task<EmptyProjection> OpenAsync()
        {
            var path = Path.Combine(Path.GetTempPath(), $"hikyaku-rebuild-{Guid.NewGuid():N}.db");
            var store = new SqliteEventStore(path, new EventStoreOptions());
            await store.InitializeAsync();
            return new EmptyProjection(path, store);
        }

        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Lets <paramref name="writes"/> batches of rows through, then cancels: the stop lands between a page's rows and its checkpoint.</summary>
    private sealed class StopAfterWrites(ISubscriberIndex inner, int writes, CancellationTokenSource stop) : ISubscriberIndex
    {
        private int _writes;

        public async Task UpsertRebuiltAsync(IReadOnlyCollection<SubscriberRow> rows, CancellationToken cancellationToken = default)
        {
            await inner.UpsertRebuiltAsync(rows, cancellationToken);
            if (++_writes == writes)
            {
                await stop.CancelAsync();
            }
        }

        public Task<SubscriberRow?> GetAsync(string tenantId, string magazineId, string email, CancellationToken cancellationToken = default) =>
            inner.GetAsync(tenantId, magazineId, email, cancellationToken);

        public Task<IReadOnlyList<SubscriberRow>> PageAsync(string tenantId, string magazineId, IReadOnlyCollection<string>? statuses, string? afterEmail, int limit, string? emailPrefix = null, CancellationToken cancellationToken = default) =>
            inner.PageAsync(tenantId, magazineId, statuses, afterEmail, limit, emailPrefix, cancellationToken);

        public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string tenantId, string magazineId, CancellationToken cancellationToken = default) =>
            inner.CountByStatusAsync(tenantId, magazineId, cancellationToken);

        public Task<IReadOnlyDictionary<string, int>> CountByDomainAsync(string tenantId, string magazineId, string? status, CancellationToken cancellationToken = default) =>
            inner.CountByDomainAsync(tenantId, magazineId, status, cancellationToken);

        public Task<IReadOnlyList<SubscriberRow>> DueStepsAsync(string tenantId, string magazineId, DateTimeOffset dueBy, DateTimeOffset? afterDue, string? afterEmail, int limit, CancellationToken cancellationToken = default) =>
            inner.DueStepsAsync(tenantId, magazineId, dueBy, afterDue, afterEmail, limit, cancellationToken);

        public Task UpsertAsync(SubscriberRow row, CancellationToken cancellationToken = default) => inner.UpsertAsync(row, cancellationToken);
    }
}
