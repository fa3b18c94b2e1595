using Hikyaku.Contracts.Events;
using Hikyaku.Domain.Imports;
using Hikyaku.EventStore.Serialization;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Tests;

/// <summary>Import streams written before duplicates were counted and rejections paged still load and fold the same.</summary>
public sealed class ImportEventsStoredJsonTests
{
    [Fact]
    public void An_import_accepted_before_duplicates_were_counted_loads_with_its_rejections_and_no_duplicates()
    {
        var serializer = new EventSerializer(HikyakuEventTypes.CreateRegistry());
        var old = serializer.Deserialize("import.accepted", """
            {"eventId":"0190a0b0-0000-7000-8000-000000000001","at":"2026-11-28T01:00:00+00:00","magazineId":"news","total":3,"chunks":1,
             "rejected":[{"line":3,"reason":"duplicate of line 2"},{"line":4,"reason":"invalid address 'x'"}]}
            """);

        var state = new ImportState();
        state.Apply(Assert.IsType<ImportAccepted>(old));

        var progress = state.ToProgress("i1", state.Rejected.OrderBy(r => r.Line).ToList());
        Assert.Equal((3, 0, 2, "news"), (progress.Total, progress.Duplicates, progress.RejectedCount, progress.MagazineId));
    }

    [Fact]
    public void Rejections_stored_twice_under_one_page_count_once_and_pages_walk_them_in_line_order()
    {
        var serializer = new EventSerializer(HikyakuEventTypes.CreateRegistry());
        var page = new ImportRejectionsStored(Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, 0, [new(9, "b"), new(5, "a")]);
        var data = serializer.ToEventData(page, page.At);
        var state = new ImportState();

        state.Apply((ImportEvent)serializer.Deserialize(data.Type, data.Json));
        state.Apply(page);
        state.Apply(new ImportAccepted(Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, "news", 10, 1, [], Duplicates: 4));
        state.Apply(new ImportChunkProcessed(Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, 0, 3, 1, [new(7, "c")]));

        var byLine = state.Rejected.OrderBy(r => r.Line).ToList();
        Assert.Equal((5, 3), (state.Duplicates, byLine.Count));
        var first = ImportState.PageOf(byLine, afterLine: 0, limit: 2);
        var second = ImportState.PageOf(byLine, first.NextAfterLine!.Value, limit: 2);
        Assert.Equal([5, 7], first.Items.Select(r => r.Line));
        Assert.Equal(7, first.NextAfterLine);
        Assert.Equal([9], second.Items.Select(r => r.Line));
        Assert.Null(second.NextAfterLine);
    }
}
