using System.Diagnostics.Metrics;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Sites;

namespace Hikyaku.Grains.Tests;

/// <summary>The block loop's meter: what a block's events count, and the lanes by state.</summary>
public sealed class BlockMetricsTests
{
    [Fact]
    public void A_blocks_events_count_by_provider_and_kind_and_the_lanes_gauge_follows_the_lane()
    {
        using var metrics = new BlockMetrics();
        var seen = new List<(string Name, long Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BlockMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument i, long v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        var at = DateTimeOffset.UtcNow;
        string? IpOf(string blockId) => blockId == "microsoft.1" ? "127.0.0.3" : null;
        metrics.Observe("microsoft", [
            new LaneBlocked(Guid.NewGuid(), at, "microsoft.1", "127.0.0.3", "acme", "disguised", at, at.AddHours(1), [], null, null),
            new BlockReadersTouched(Guid.NewGuid(), at, "microsoft.1", ["acme/news/a@hotmail.com", "acme/news/b@hotmail.com"], ["acme/news/c@hotmail.com"]),
        ], IpOf);
        listener.RecordObservableInstruments();
        Assert.Contains(seen, m => m is { Name: "hikyaku.blocks.detected", Value: 1 } && m.Tags["provider"] == "microsoft" && m.Tags["kind"] == "disguised");
        Assert.Contains(seen, m => m is { Name: "hikyaku.readers.held", Value: 3 });
        Assert.Contains(seen, m => m is { Name: "hikyaku.lanes", Value: 1 } && m.Tags["state"] == LaneStates.Blocked);

        seen.Clear();
        metrics.Observe("microsoft", [
            new LaneProbing(Guid.NewGuid(), at, "microsoft.1", "tenant:acme"),
            new LaneReopened(Guid.NewGuid(), at, "microsoft.1", 3),
        ], IpOf);
        listener.RecordObservableInstruments();
        Assert.Contains(seen, m => m is { Name: "hikyaku.blocks.lifted", Value: 1 });
        Assert.Contains(seen, m => m.Name == "hikyaku.blocks.probes" && m.Tags["outcome"] == "reopened");
        Assert.Contains(seen, m => m is { Name: "hikyaku.lanes", Value: 1 } && m.Tags["state"] == LaneStates.Open);
        Assert.DoesNotContain(seen, m => m.Name == "hikyaku.lanes" && m.Tags["state"] == LaneStates.Blocked);

        // The site's grain leaves this silo: its lanes are no longer counted here.
        seen.Clear();
        metrics.Forget("microsoft");
        listener.RecordObservableInstruments();
        Assert.DoesNotContain(seen, m => m.Name == "hikyaku.lanes");
    }
}
