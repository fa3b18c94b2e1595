using Hikyaku.Domain;

namespace Hikyaku.Domain.Tests;

public sealed class EventIdsTests
{
    [Fact]
    public void Ids_are_version_7_with_the_rfc_variant_and_carry_the_events_millisecond()
    {
        var at = new DateTimeOffset(2026, 11, 28, 6, 30, 15, 123, TimeSpan.Zero);

        var id = EventIds.NewVersion7(at);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var text = id.ToString("N");
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(text[..12], 16));
    }

    [Fact]
    public void Ids_sort_by_time_as_the_store_sees_them_and_never_repeat()
    {
        var start = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var ids = new List<Guid>();
        for (var ms = 0; ms < 1_000; ms++)
        {
            for (var i = 0; i < 100; i++)
            {
                ids.Add(EventIds.NewVersion7(start.AddMilliseconds(ms)));
            }
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());

        // PostgreSQL orders uuids by their bytes in RFC order, i.e. by the text form: ids of later events sort later.
        for (var i = 100; i < ids.Count; i += 100)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1].ToString("N"), ids[i].ToString("N")) < 0, $"id {i} sorts before an earlier millisecond's");
        }
    }

    [Fact]
    public void Ids_made_on_many_threads_at_once_are_all_distinct()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                ids.Add(EventIds.NewVersion7(at));
            }
        });

        Assert.Equal(160_000, ids.Distinct().Count());
    }
}
