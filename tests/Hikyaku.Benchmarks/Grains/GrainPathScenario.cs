using System.Diagnostics;
using System.Net;
using Hikyaku.Contracts.Events;
using Hikyaku.Benchmarks.Bounces;
using Hikyaku.Benchmarks.EventStore;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;
using Hikyaku.EventStore;
using Hikyaku.EventStore.GroupCommit;
using Hikyaku.EventStore.Serialization;
using Hikyaku.Grains.Storage;
using Hikyaku.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Benchmarks.Grains;

/// <summary>
/// Appends through the real grain path — SubscriberGrain (JournaledGrain) → CustomStorage bridge → event store —
/// from many readers at once, and the activation cost of a reader with a 10,000-event history.
/// Usage: <c>grain-path [--backend postgres|sqlite|none|immediate] [--workload toggle|attempts|reads] [--streams 1024] [--seconds 15] [--warmup 10]</c>.
/// <c>toggle</c>: each reader unsubscribes and subscribes again (every event changes its projection row);
/// <c>attempts</c>: each reader records delivery outcomes, the hot path of a broadcast; <c>reads</c>: each reader is
/// only read, so the figure is grain calls per second, the floor under every write. <c>none</c> answers every
/// commit at once, so it measures what the grains alone cost; <c>immediate</c> answers each append on the spot, without
/// the batcher, so the grain's write never leaves its turn. CPU seconds per event (this process, and the PostgreSQL
/// server) are printed with the rate: on a shared machine they say what the path costs whatever else runs.
/// </summary>
public sealed class GrainPathScenario : IBenchmarkScenario
{
    private static long _issues;

    public string Name => "grain-path";

    public string Description => "events/s through SubscriberGrain → CustomStorage → store; activation with 10,000 events";

    public async Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var backend = BenchmarkArgs.String(args, "--backend", "postgres");
        var streams = int.Parse(BenchmarkArgs.String(args, "--streams", "1024"));
        var seconds = double.Parse(BenchmarkArgs.String(args, "--seconds", "15"));

        // Long enough for tiered compilation to settle on the hot path: measured earlier, the JIT still took a few
        // percent of the CPU.
        var warmup = double.Parse(BenchmarkArgs.String(args, "--warmup", "10"));
        var workload = BenchmarkArgs.String(args, "--workload", "toggle");
        if (workload is not ("toggle" or "attempts" or "reads"))
        {
            throw new ArgumentException($"--workload must be toggle, attempts or reads, not '{workload}'");
        }

        var results = new Dictionary<string, object> { ["backend"] = backend, ["streams"] = streams, ["workload"] = workload, ["warmupSeconds"] = warmup, ["seconds"] = seconds };

        await using var storeHost = await StoreHost.StartAsync(backend);
        using var host = await StartSiloAsync(storeHost.Store);
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        var cpu = new CpuMeter(storeHost.PostgresDataDir);
        var groupCommit = storeHost.Store as GroupCommitEventStore;
        var batchesBefore = groupCommit?.CommittedBatches ?? 0;
        var (rate, clientCpu, serverCpu, appended, commits) = await MeasureAppends(grains, groupCommit?.Meter, streams, workload, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), cpu);
        var batches = (groupCommit?.CommittedBatches ?? 0) - batchesBefore;
        results["appendsPerTransaction"] = batches == 0 ? 0 : Math.Round((double)appended / batches, 1);
        Console.WriteLine($"{backend}: {appended:N0} appends in {batches:N0} transactions ({results["appendsPerTransaction"]} per transaction)");
        Console.WriteLine($"{backend}, {workload}: {streams} readers appending through the grain path: {rate:N0} events/s; " +
                          $"CPU per event {clientCpu * 1e6:N1} µs in this process + {serverCpu * 1e6:N1} µs in the database server " +
                          $"(= {1 / (clientCpu + serverCpu):N0} events per CPU second)");
        results["groupCommitEventsPerSecond"] = Math.Round(rate);
        results["processCpuMicrosecondsPerEvent"] = Math.Round(clientCpu * 1e6, 1);
        results["serverCpuMicrosecondsPerEvent"] = Math.Round(serverCpu * 1e6, 1);
        foreach (var (name, value) in commits)
        {
            results[name] = value;
        }

        if (backend is "none" or "immediate")
        {
            await host.StopAsync();
            return results;
        }

        var serializer = new EventSerializer(HikyakuEventTypes.CreateRegistry());
        foreach (var withSnapshot in new[] { false, true })
        {
            var ms = await MeasureActivation(grains, storeHost.Store, serializer, 10_000, withSnapshot);
            Console.WriteLine($"{backend}: activation of a reader with 10,000 events {(withSnapshot ? "with" : "without")} snapshot: {ms:N1} ms (median of 5)");
            results[withSnapshot ? "activationWithSnapshotMs" : "activationWithoutSnapshotMs"] = Math.Round(ms, 1);
        }

        await host.StopAsync();
        return results;
    }

    private static async Task<(double Rate, double ClientCpuPerEvent, double ServerCpuPerEvent, long Events, IReadOnlyDictionary<string, object> Commits)> MeasureAppends(
        IGrainFactory grains, System.Diagnostics.Metrics.Meter? store, int streams, string workload, TimeSpan warmup, TimeSpan duration, CpuMeter cpu)
    {
        var readers = Enumerable.Range(0, streams).Select(i => grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader("bench", "news", $"r{i}@example.jp"))).ToArray();
        await Task.WhenAll(readers.Select(r => r.Subscribe(null, null, "bench")));

        // Warm up, then count events appended by every reader working as fast as it can.
        Func<ISubscriberGrain, Func<bool>, Action, Task> work = workload switch
        {
            "toggle" => Toggle,
            "attempts" => RecordDeliveries,
            _ => Read,
        };
        long events = 0;
        var stop = DateTime.UtcNow + warmup;
        await Task.WhenAll(readers.Select(r => work(r, () => DateTime.UtcNow < stop, () => { })));
        stop = DateTime.UtcNow + duration;
        using var commits = store is null ? null : new CommitFigures(store);
        var before = cpu.Seconds();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(readers.Select(r => work(r, () => DateTime.UtcNow < stop, () => Interlocked.Increment(ref events))));
        var elapsed = clock.Elapsed.TotalSeconds;
        var after = cpu.Seconds();
        var commitFigures = commits?.Report("group commit") ?? new Dictionary<string, object>();
        return (events / elapsed, (after.Client - before.Client) / events, (after.Server - before.Server) / events, events, commitFigures);
    }

    private static async Task Toggle(ISubscriberGrain reader, Func<bool> go, Action counted)
    {
        var subscribed = (await reader.Get())!.Status == "active";
        while (go())
        {
            var outcome = subscribed ? await reader.Unsubscribe("bench") : await reader.Subscribe(null, null, "bench");
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException(outcome.Error!.Message);
            }

            subscribed = !subscribed;
            counted();
        }
    }

    // A call that reads the reader and writes nothing: what one grain call costs by itself (the "events" are calls).
    private static async Task Read(ISubscriberGrain reader, Func<bool> go, Action counted)
    {
        while (go())
        {
            if (await reader.Get() is null)
            {
                throw new InvalidOperationException("the reader vanished");
            }

            counted();
        }
    }

    // One delivery outcome per call, each for a new issue, as a lane reports them during broadcasts.
    private static async Task RecordDeliveries(ISubscriberGrain reader, Func<bool> go, Action counted)
    {
        // Issue keys from a counter: a Guid per call would cost the load generator a system call for its randomness.
        var reply = Hikyaku.Domain.Delivery.ReplyRecords.Classified(new ReplyRecord(250, "2.0.0", "Ok: queued as 4F2A9C1D7E", ReplyStage.Data, FromProvider: true));
        var verdict = Hikyaku.Domain.Delivery.DeliveryDecision.Decide(reply, lastAttempt: true);
        while (go())
        {
            var issue = $"b{Interlocked.Increment(ref _issues):D12}";
            var result = await reader.RecordAttempt(new AttemptReport(MessageKey.Broadcast(issue), $"<{issue}@example.jp>", "127.0.0.2", "mx.example.jp", reply, "250 2.0.0 Ok", 1, verdict));
            if (result.Result != RecipientResults.Delivered)
            {
                throw new InvalidOperationException($"a delivery was recorded as {result.Result}");
            }

            counted();
        }
    }

    private static async Task<double> MeasureActivation(IGrainFactory grains, IEventStore store, EventSerializer serializer, int events, bool withSnapshot)
    {
        var times = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var email = $"long{run}-{(withSnapshot ? "snap" : "replay")}@example.jp";
            var key = GrainKeys.Reader("bench", "news", email);
            var state = await WriteHistory(store, serializer, $"reader:{key}", email, events);
            if (withSnapshot)
            {
                await store.WriteSnapshotAsync(serializer.ToSnapshot($"reader:{key}", events, "reader-state.v1", state));
            }

            var clock = Stopwatch.StartNew();
            var view = await grains.GetGrain<ISubscriberGrain>(key).Get();
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (view?.Email != email)
            {
                throw new InvalidOperationException("the reader did not load");
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static async Task<ReaderState> WriteHistory(IEventStore store, EventSerializer serializer, string streamId, string email, int count)
    {
        var state = new ReaderState();
        var at = DateTimeOffset.UtcNow;
        var version = 0;
        while (version < count)
        {
            var batch = new List<EventData>();
            for (var i = 0; i < 500 && version + batch.Count < count; i++)
            {
                ReaderEvent e = (version + batch.Count) % 2 == 0
                    ? new ReaderSubscribed(Guid.NewGuid(), at, email, "Long", null, "bench")
                    : new ReaderUnsubscribed(Guid.NewGuid(), at, "bench");
                state.Apply(e);
                batch.Add(serializer.ToEventData(e, at, e.EventId));
            }

            var result = await store.AppendAsync(new AppendRequest(streamId, version, batch));
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"history append failed: {result.Status}");
            }

            version += batch.Count;
        }

        return state;
    }

    private static async Task<IHost> StartSiloAsync(IEventStore store)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHikyakuEventSourcing(_ => store);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(TempPostgres.FreeLoopbackPort(), TempPostgres.FreeLoopbackPort());
            silo.AddCustomStorageBasedLogConsistencyProvider(EventSourcedGrain<ReaderState, ReaderEvent>.ProviderName);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

}
