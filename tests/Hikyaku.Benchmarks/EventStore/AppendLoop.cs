using System.Diagnostics;
using Hikyaku.EventStore;
using Hikyaku.EventStore.GroupCommit;

namespace Hikyaku.Benchmarks.EventStore;

/// <summary>
/// Streams that each append one event, await the result, and append the next — the way a grain
/// writes — for a warm-up second and then a measured window.
/// </summary>
internal static class AppendLoop
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <param name="ClientCpuMicroseconds">CPU of this process per event (the store's client side and the load generator).</param>
    /// <param name="ServerCpuMicroseconds">CPU of the PostgreSQL server per event.</param>
    /// <param name="Commits">The group-commit writer's own figures over the window (see <see cref="CommitFigures"/>).</param>
    public sealed record Cell(double EventsPerSecond, double AppendsPerTransaction, double ClientCpuMicroseconds, double ServerCpuMicroseconds, IReadOnlyDictionary<string, object> Commits);

    public static async Task<Cell> RunAsync(GroupCommitEventStore store, int streams, TimeSpan measured, CpuMeter cpu)
    {
        long appended = 0;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var stream = $"reader/{i}/{Guid.NewGuid():N}";
            for (var version = 0; !stop.IsCancellationRequested; version++)
            {
                var result = await store.AppendAsync(new AppendRequest(stream, version, [NewEvent(version)]));
                if (result.Status != AppendStatus.Appended)
                {
                    throw new InvalidOperationException($"{stream} at {version}: {result}");
                }

                Interlocked.Increment(ref appended);
            }
        })).ToArray();

        await Task.Delay(WarmUp);
        using var commits = new CommitFigures(store.Meter);
        var (eventsBefore, batchesBefore, cpuBefore, clock) = (Interlocked.Read(ref appended), store.CommittedBatches, cpu.Seconds(), Stopwatch.StartNew());
        await Task.Delay(measured);
        var (events, batches, cpuUsed, elapsed) = (Interlocked.Read(ref appended) - eventsBefore, store.CommittedBatches - batchesBefore, Minus(cpu.Seconds(), cpuBefore), clock.Elapsed);
        var commitFigures = commits.Figures();
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        var perEvent = 1e6 / Math.Max(1, events);
        return new Cell(events / elapsed.TotalSeconds, events / (double)Math.Max(1, batches), cpuUsed.Client * perEvent, cpuUsed.Server * perEvent, commitFigures);
    }

    private static (double Client, double Server) Minus((double Client, double Server) after, (double Client, double Server) before) =>
        (after.Client - before.Client, after.Server - before.Server);

    // About 300 bytes of JSON, shaped like a delivery outcome on a reader's stream.
    private static EventData NewEvent(int n)
    {
        var at = DateTimeOffset.UtcNow;
        var json = $$"""{"broadcastId":"b-2026-11-28-weekly","messageId":"<{{n}}.{{Guid.NewGuid():N}}@mail.hikyaku.example>","site":"gmail.com","sendingIp":"203.0.113.25","outcome":"delivered","reply":"250 2.0.0 OK 1732755000 x12si3456789qkb.123 - gsmtp","attempt":1,"at":"{{at:O}}"}""";
        return new EventData(Guid.CreateVersion7(at), "reader.delivered", json, at);
    }
}
