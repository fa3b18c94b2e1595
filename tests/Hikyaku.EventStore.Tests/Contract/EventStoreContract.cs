using Hikyaku.EventStore.GroupCommit;

namespace Hikyaku.EventStore.Tests.Contract;

/// <summary>
/// The behaviour every backend must show. Each backend test class opens its stores on a fresh,
/// empty database; a test may open a second store on the same database to act as a second silo.
/// </summary>
public abstract partial class EventStoreContract : IAsyncLifetime
{
    private readonly List<GroupCommitEventStore> _stores = [];

    protected GroupCommitEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await OpenAsync(new EventStoreOptions());

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>A store on this test's database (the same database for every call within one test).</summary>
    protected abstract Task<GroupCommitEventStore> CreateStoreAsync(EventStoreOptions options);

    protected async Task<GroupCommitEventStore> OpenAsync(EventStoreOptions options)
    {
        var store = await CreateStoreAsync(options);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    [Fact]
    public async Task Appended_events_read_back_in_order_with_ids_types_and_times()
    {
        var stream = TestEvents.NewStream();
        var events = TestEvents.Some(3);

        var result = await Store.AppendAsync(new AppendRequest(stream, 0, events));

        Assert.Equal(new AppendResult(AppendStatus.Appended, 3), result);
        var stored = await Store.ReadStreamAsync(stream);
        Assert.Equal([1, 2, 3], stored.Select(e => e.Version));
        Assert.Equal(events.Select(e => e.EventId), stored.Select(e => e.EventId));
        Assert.All(stored, e => Assert.Equal(stream, e.StreamId));
        Assert.Equal(events.Select(e => (e.Type, e.At)), stored.Select(e => (e.Type, e.At)));
        Assert.All(events.Zip(stored), pair => Assert.True(TestEvents.SameJson(pair.First.Json, pair.Second.Json)));
        Assert.Equal(3, await Store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task Unknown_stream_is_at_version_zero_and_empty()
    {
        Assert.Equal(0, await Store.GetStreamVersionAsync("nobody"));
        Assert.Empty(await Store.ReadStreamAsync("nobody"));
    }

    [Fact]
    public async Task Later_append_continues_the_stream_from_its_expected_version()
    {
        var stream = TestEvents.NewStream();
        await Store.AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(2)));

        var result = await Store.AppendAsync(new AppendRequest(stream, 2, TestEvents.Some(2)));

        Assert.Equal(new AppendResult(AppendStatus.Appended, 4), result);
        Assert.Equal([3, 4], (await Store.ReadStreamAsync(stream, afterVersion: 2)).Select(e => e.Version));
    }

    [Fact]
    public async Task Conflicting_append_fails_whole_and_leaves_the_stream_unchanged()
    {
        var stream = TestEvents.NewStream();
        var first = TestEvents.Some(2);
        await Store.AppendAsync(new AppendRequest(stream, 0, first));

        var result = await Store.AppendAsync(new AppendRequest(stream, 1, TestEvents.Some(3)));

        Assert.Equal(new AppendResult(AppendStatus.Conflict, 2), result);
        Assert.Equal(first.Select(e => e.EventId), (await Store.ReadStreamAsync(stream)).Select(e => e.EventId));
        Assert.Equal(2, await Store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task Append_expecting_an_existing_version_of_a_missing_stream_is_a_conflict()
    {
        var result = await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 5, TestEvents.Some(1)));

        Assert.Equal(new AppendResult(AppendStatus.Conflict, 0), result);
    }

    [Fact]
    public async Task Racing_writers_on_a_new_stream_exactly_one_wins_and_only_its_events_are_stored()
    {
        var stream = TestEvents.NewStream();
        var attempts = Enumerable.Range(0, 20).Select(_ => TestEvents.Some(2)).ToArray();

        var results = await Task.WhenAll(attempts.Select(events => Store.AppendAsync(new AppendRequest(stream, 0, events))));

        var winner = Assert.Single(Enumerable.Range(0, 20), i => results[i].Status == AppendStatus.Appended);
        Assert.All(results.Where(r => r.Status != AppendStatus.Appended), r => Assert.Equal(new AppendResult(AppendStatus.Conflict, 2), r));
        Assert.Equal(attempts[winner].Select(e => e.EventId), (await Store.ReadStreamAsync(stream)).Select(e => e.EventId));
    }

    [Fact]
    public async Task Two_stores_on_one_database_racing_on_a_stream_let_exactly_one_win()
    {
        var secondSilo = await OpenAsync(new EventStoreOptions());
        var stream = TestEvents.NewStream();

        var results = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? Store : secondSilo).AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(3)))));

        Assert.Single(results, r => r.Status == AppendStatus.Appended);
        Assert.Equal(9, results.Count(r => r == new AppendResult(AppendStatus.Conflict, 3)));
        Assert.Equal(3, (await secondSilo.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Initialize_twice_is_harmless_and_keeps_the_data()
    {
        var stream = TestEvents.NewStream();
        await Store.AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(1)));

        await Store.InitializeAsync();

        Assert.Equal(1, await Store.GetStreamVersionAsync(stream));
    }
}
