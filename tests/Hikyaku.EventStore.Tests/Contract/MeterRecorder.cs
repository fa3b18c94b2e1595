using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Hikyaku.EventStore.Tests.Contract;

/// <summary>Collects every measurement of one meter's instruments (and no other meter's), by instrument name.</summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _measurements = new();

    public MeterRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument, value));
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        _listener.Start();
    }

    /// <summary>Every value recorded by the instrument so far, in no particular order.</summary>
    public IReadOnlyList<double> Values(string instrument) =>
        _measurements.TryGetValue(instrument, out var values) ? [.. values] : [];

    /// <summary>The current value of an observable instrument.</summary>
    public double Observe(string instrument)
    {
        _measurements.TryRemove(instrument, out _);
        _listener.RecordObservableInstruments();
        return Assert.Single(Values(instrument));
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value) =>
        _measurements.GetOrAdd(instrument.Name, _ => new ConcurrentQueue<double>()).Enqueue(value);
}
