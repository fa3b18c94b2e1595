namespace Hikyaku.EventStore.Tests.Contract;

// Orleans retries a write that threw even if it had committed; the store must recognise the retry.
public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Retried_append_that_already_landed_reports_already_appended_and_writes_nothing_twice()
    {
        var stream = TestEvents.NewStream();
        var request = new AppendRequest(stream, 0, TestEvents.Some(3), [TestEvents.Row($"{Guid.NewGuid():N}@example.jp")]);
        await Store.AppendAsync(request);

        var retry = await Store.AppendAsync(request);

        Assert.Equal(new AppendResult(AppendStatus.AlreadyAppended, 3), retry);
        Assert.True(retry.Succeeded);
        Assert.Equal(request.Events.Select(e => e.EventId), (await Store.ReadStreamAsync(stream)).Select(e => e.EventId));
    }

    [Fact]
    public async Task Retry_arriving_after_the_stream_moved_on_still_reports_already_appended()
    {
        var stream = TestEvents.NewStream();
        var request = new AppendRequest(stream, 0, TestEvents.Some(2));
        await Store.AppendAsync(request);
        await Store.AppendAsync(new AppendRequest(stream, 2, TestEvents.Some(1)));

        var retry = await Store.AppendAsync(request);

        Assert.Equal(new AppendResult(AppendStatus.AlreadyAppended, 3), retry);
        Assert.Equal(3, (await Store.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Different_events_at_a_taken_version_are_a_conflict_even_if_some_ids_landed()
    {
        var stream = TestEvents.NewStream();
        var landed = TestEvents.Some(2);
        await Store.AppendAsync(new AppendRequest(stream, 0, landed));

        var result = await Store.AppendAsync(new AppendRequest(stream, 0, [landed[0], .. TestEvents.Some(1)]));

        Assert.Equal(new AppendResult(AppendStatus.Conflict, 2), result);
    }

    [Fact]
    public async Task Malformed_append_is_rejected_before_it_can_join_a_batch()
    {
        var duplicateId = TestEvents.Some(1)[0];

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new AppendRequest("s", 0, [])));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new AppendRequest("s", -1, TestEvents.Some(1))));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new AppendRequest("s", 0, [duplicateId, duplicateId])));
    }
}
