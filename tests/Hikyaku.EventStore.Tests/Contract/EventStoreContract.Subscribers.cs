namespace Hikyaku.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Subscriber_row_is_written_in_the_same_append_as_its_events()
    {
        var row = TestEvents.Row("hanako@example.jp", status: "bounced", version: 2);

        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(2), [row]));

        Assert.Equal(row, await Store.Subscribers.GetAsync("tenant-a", "weekly", "hanako@example.jp"));
    }

    [Fact]
    public async Task Subscriber_row_of_a_conflicting_append_is_not_written()
    {
        var stream = TestEvents.NewStream();
        var kept = TestEvents.Row("taro@example.jp", version: 1);
        await Store.AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(1), [kept]));

        var result = await Store.AppendAsync(new AppendRequest(stream, 0, TestEvents.Some(1), [TestEvents.Row("taro@example.jp", "unsubscribed", version: 1)]));
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 5, TestEvents.Some(1), [TestEvents.Row("ghost@example.jp")]));

        Assert.Equal(AppendStatus.Conflict, result.Status);
        Assert.Equal(kept, await Store.Subscribers.GetAsync("tenant-a", "weekly", "taro@example.jp"));
        Assert.Null(await Store.Subscribers.GetAsync("tenant-a", "weekly", "ghost@example.jp"));
    }

    [Fact]
    public async Task Pages_by_email_walk_every_subscriber_with_the_chosen_statuses_once()
    {
        var emails = Enumerable.Range(0, 25).Select(i => $"reader{i:D2}@{(i % 2 == 0 ? "gmail.com" : "yahoo.co.jp")}").ToList();
        foreach (var (email, i) in emails.Select((e, i) => (e, i)))
        {
            await Store.Subscribers.UpsertAsync(TestEvents.Row(email, i % 5 == 0 ? "bounced" : i % 5 == 1 ? "unsubscribed" : "active"));
        }

        await Store.Subscribers.UpsertAsync(TestEvents.Row("reader00@gmail.com", magazine: "daily"));

        var active = await PageAllAsync(["active"], pageSize: 4);
        var activeOrBounced = await PageAllAsync(["active", "bounced"], pageSize: 7);
        var everyone = await PageAllAsync(null, pageSize: 10);

        Assert.Equal(emails.Where((_, i) => i % 5 >= 2).Order(StringComparer.Ordinal), active.Select(r => r.Email));
        Assert.Equal(emails.Where((_, i) => i % 5 != 1).Order(StringComparer.Ordinal), activeOrBounced.Select(r => r.Email));
        Assert.Equal(emails.Order(StringComparer.Ordinal), everyone.Select(r => r.Email));
    }

    [Fact]
    public async Task Pages_with_an_email_prefix_hold_exactly_the_addresses_that_start_with_it()
    {
        string[] emails = ["taro@a.jp", "taro.yamada@b.jp", "taro-@c.jp", "tar@d.jp", "taroz@e.jp", "tarp@f.jp", "hanako@taro.jp", "taro\u007f@g.jp"];
        foreach (var (email, i) in emails.Select((e, i) => (e, i)))
        {
            await Store.Subscribers.UpsertAsync(TestEvents.Row(email, i == 1 ? "unsubscribed" : "active"));
        }

        await Store.Subscribers.UpsertAsync(TestEvents.Row("taro@other.jp", magazine: "daily"));

        var taro = await PageAllAsync(null, pageSize: 2, emailPrefix: "taro");
        var activeTaro = await PageAllAsync(["active"], pageSize: 1, emailPrefix: "taro");
        var none = await PageAllAsync(null, pageSize: 5, emailPrefix: "zz");
        var percent = await PageAllAsync(null, pageSize: 5, emailPrefix: "t%o");

        Assert.Equal(emails.Where(e => e.StartsWith("taro", StringComparison.Ordinal)).Order(StringComparer.Ordinal), taro.Select(r => r.Email));
        Assert.Equal(["taro-@c.jp", "taro@a.jp", "taroz@e.jp", "taro\u007f@g.jp"], activeTaro.Select(r => r.Email));
        Assert.Empty(none);
        Assert.Empty(percent);
    }

    [Fact]
    public async Task Counts_by_status_and_by_domain_cover_one_magazine()
    {
        await Store.Subscribers.UpsertAsync(TestEvents.Row("a@gmail.com"));
        await Store.Subscribers.UpsertAsync(TestEvents.Row("b@gmail.com"));
        await Store.Subscribers.UpsertAsync(TestEvents.Row("c@gmail.com", "bounced"));
        await Store.Subscribers.UpsertAsync(TestEvents.Row("d@docomo.ne.jp"));
        await Store.Subscribers.UpsertAsync(TestEvents.Row("e@docomo.ne.jp", magazine: "daily"));

        var byStatus = await Store.Subscribers.CountByStatusAsync("tenant-a", "weekly");
        var byDomain = await Store.Subscribers.CountByDomainAsync("tenant-a", "weekly", null);
        var activeByDomain = await Store.Subscribers.CountByDomainAsync("tenant-a", "weekly", "active");

        Assert.Equal(new Dictionary<string, int> { ["active"] = 3, ["bounced"] = 1 }, byStatus);
        Assert.Equal(new Dictionary<string, int> { ["gmail.com"] = 3, ["docomo.ne.jp"] = 1 }, byDomain);
        Assert.Equal(new Dictionary<string, int> { ["gmail.com"] = 2, ["docomo.ne.jp"] = 1 }, activeByDomain);
    }

    [Fact]
    public async Task Upsert_replaces_the_row_when_the_projection_is_rebuilt()
    {
        await Store.Subscribers.UpsertAsync(TestEvents.Row("x@example.jp", version: 1));
        var rebuilt = TestEvents.Row("x@example.jp", "unsubscribed", version: 4);

        await Store.Subscribers.UpsertAsync(rebuilt);

        Assert.Equal(rebuilt, await Store.Subscribers.GetAsync("tenant-a", "weekly", "x@example.jp"));
    }

    private async Task<List<SubscriberRow>> PageAllAsync(string[]? statuses, int pageSize, string? emailPrefix = null)
    {
        var all = new List<SubscriberRow>();
        string? after = null;
        while (true)
        {
            var page = await Store.Subscribers.PageAsync("tenant-a", "weekly", statuses, after, pageSize, emailPrefix);
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }

            after = page[^1].Email;
        }
    }
}

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Due_steps_come_by_due_time_for_active_and_held_readers_of_one_magazine_in_keyset_pages()
    {
        var t0 = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
        SubscriberRow Due(string email, int seconds, string status = "active", string magazine = "weekly") =>
            TestEvents.Row(email, status, magazine: magazine) with { StepStory = "day" + seconds, StepDueAt = t0.AddSeconds(seconds) };

        // Written in an append too: the step columns ride with the events that decide them.
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1), [Due("c@x.jp", 5)]));
        foreach (var row in new[]
        {
            Due("b@x.jp", 5), Due("a@x.jp", 1), Due("held@x.jp", 3, "held"), Due("late@x.jp", 60),
            Due("stopped@x.jp", 2, "error-stopped"), Due("gone@x.jp", 2, "unsubscribed"), Due("other@x.jp", 1, magazine: "daily"),
            TestEvents.Row("owed-nothing@x.jp"),
        })
        {
            await Store.Subscribers.UpsertAsync(row);
        }

        var all = new List<SubscriberRow>();
        (DateTimeOffset? Due, string? Email) cursor = default;
        while (await Store.Subscribers.DueStepsAsync("tenant-a", "weekly", t0.AddSeconds(10), cursor.Due, cursor.Email, 2) is { Count: > 0 } page)
        {
            all.AddRange(page);
            cursor = (page[^1].StepDueAt, page[^1].Email);
        }

        Assert.Equal(["a@x.jp", "held@x.jp", "b@x.jp", "c@x.jp"], all.Select(r => r.Email));
        Assert.Equal(Due("b@x.jp", 5), all[2]);
        Assert.Empty(await Store.Subscribers.DueStepsAsync("tenant-a", "weekly", t0, null, null, 10));
    }
}
