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

    public sealed record Cell(double EventsPerSecond, double AppendsPerTransaction);

    public static async Task<Cell> RunAsync(GroupCommitEventStore store, int streams, TimeSpan measured)
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
        var (eventsBefore, batchesBefore, clock) = (Interlocked.Read(ref appended), store.CommittedBatches, Stopwatch.StartNew());
        await Task.Delay(measured);
        var (events, batches, elapsed) = (Interlocked.Read(ref appended) - eventsBefore, store.CommittedBatches - batchesBefore, clock.Elapsed);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return new Cell(events / elapsed.TotalSeconds, events / (double)Math.Max(1, batches));
    }

    // About 300 bytes of JSON, shaped like a delivery outcome on a reader's stream.
    private static EventData NewEvent(int n)
    {
        var at = DateTimeOffset.UtcNow;
        var json = $$"""{"broadcastId":"b-2026-11-28-weekly","messageId":"<{{n}}.{{Guid.NewGuid():N}}@mail.hikyaku.example>","site":"gmail.com","sendingIp":"203.0.113.25","outcome":"delivered","reply":"250 2.0.0 OK 1732755000 x12si3456789qkb.123 - gsmtp","attempt":1,"at":"{{at:O}}"}""";
        return new EventData(Guid.CreateVersion7(at), "reader.delivered", json, at);
    }
}
