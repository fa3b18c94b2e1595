using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// What the group-commit writer of one store measures, on a meter of its own named <see cref="MeterName"/> (tagged with
/// the backend): how long commits take, how many appends each carries, how long an append waits for its answer, how
/// many appends are queued and how many batches are committing right now. <c>dotnet-counters monitor --counters
/// Hikyaku.EventStore</c> shows them on a running silo; an OpenTelemetry exporter picks them up by the meter name.
/// </summary>
internal sealed class GroupCommitMetrics : IDisposable
{
    public const string MeterName = "Hikyaku.EventStore";

    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] AppendBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitAppends;
    private readonly Histogram<double> _appendDuration;
    private readonly Counter<long> _commitFailures;

    public GroupCommitMetrics(string backend, Func<int> queuedAppends, Func<int> activeCommits)
    {
        Meter = new Meter(new MeterOptions(MeterName) { Tags = [new("hikyaku.eventstore.backend", backend)] });
        _commitDuration = Meter.CreateHistogram(
            "hikyaku.eventstore.commit.duration", "s", "Time to write and commit one batch of appends (and the snapshots riding along).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _commitAppends = Meter.CreateHistogram(
            "hikyaku.eventstore.commit.appends", "{append}", "Appends written by one committed batch.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = AppendBuckets });
        _appendDuration = Meter.CreateHistogram(
            "hikyaku.eventstore.append.duration", "s", "Time from an append being queued to its caller being answered.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _commitFailures = Meter.CreateCounter<long>(
            "hikyaku.eventstore.commit.failures", "{batch}", "Batches whose transaction failed (their callers got the error and retry).");
        Meter.CreateObservableUpDownCounter("hikyaku.eventstore.append.queued", queuedAppends, "{append}", "Appends waiting for a batch.");
        Meter.CreateObservableUpDownCounter("hikyaku.eventstore.commit.active", activeCommits, "{batch}", "Batches being committed now.");
    }

    public Meter Meter { get; }

    /// <summary>Whether anyone listens to append durations, so that appends skip reading the clock when nobody does.</summary>
    public bool AppendDurationEnabled => _appendDuration.Enabled;

    public void Committed(long startedAt, int appends)
    {
        _commitDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
        _commitAppends.Record(appends);
    }

    public void CommitFailed() => _commitFailures.Add(1);

    public void Answered(long queuedAt, long answeredAt) =>
        _appendDuration.Record(Stopwatch.GetElapsedTime(queuedAt, answeredAt).TotalSeconds);

    public void Dispose() => Meter.Dispose();
}
