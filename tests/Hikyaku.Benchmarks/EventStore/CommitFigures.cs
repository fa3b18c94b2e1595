using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hikyaku.Benchmarks.EventStore;

/// <summary>
/// The group-commit writer's own figures over a measured window, read from the store's meter: how long commits took,
/// how many were in flight on average (the writers' overlap: 1 means the database worked on one batch at a time), and
/// how long an append waited for its answer.
/// </summary>
internal sealed class CommitFigures : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<double> _commits = [];
    private readonly List<double> _appends = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public CommitFigures(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name is "hikyaku.eventstore.commit.duration" or "hikyaku.eventstore.append.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            var into = instrument.Name == "hikyaku.eventstore.commit.duration" ? _commits : _appends;
            lock (into)
            {
                into.Add(seconds);
            }
        });
        _listener.Start();
    }

    /// <summary>Stops listening and prints the figures; returns them for the results file.</summary>
    public IReadOnlyDictionary<string, object> Report(string label)
    {
        var figures = Figures();
        Console.WriteLine($"{label}: commits took {figures["commitMedianMs"]} ms (median), {figures["commitP90Ms"]} ms (p90); " +
                          $"{figures["commitsInFlight"]} in flight on average; an append waited {figures["appendWaitMedianMs"]} ms (median), {figures["appendWaitP99Ms"]} ms (p99)");
        return figures;
    }

    /// <summary>Stops listening and returns the figures.</summary>
    public IReadOnlyDictionary<string, object> Figures()
    {
        _listener.Dispose();
        var elapsed = _clock.Elapsed.TotalSeconds;
        double[] commits, appends;
        lock (_commits)
        {
            commits = [.. _commits.Order()];
        }

        lock (_appends)
        {
            appends = [.. _appends.Order()];
        }

        var figures = new Dictionary<string, object>
        {
            ["commitMedianMs"] = Math.Round(Quantile(commits, 0.5) * 1000, 2),
            ["commitP90Ms"] = Math.Round(Quantile(commits, 0.9) * 1000, 2),
            ["commitsInFlight"] = Math.Round(commits.Sum() / elapsed, 2),
            ["appendWaitMedianMs"] = Math.Round(Quantile(appends, 0.5) * 1000, 2),
            ["appendWaitP99Ms"] = Math.Round(Quantile(appends, 0.99) * 1000, 2),
        };
        return figures;
    }

    public void Dispose() => _listener.Dispose();

    private static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];
}
