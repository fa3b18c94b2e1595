using Hikyaku.Benchmarks.Bounces;
using Hikyaku.EventStore;
using Hikyaku.EventStore.GroupCommit;
using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Sqlite;
using Hikyaku.Testing;

namespace Hikyaku.Benchmarks.EventStore;

/// <summary>
/// Events/s of the event store, one transaction per append against group commit, with 1, 64 and
/// 1024 streams each appending one event at a time as a grain would, on PostgreSQL (fsync on) and
/// SQLite. Options: <c>--seconds N</c> per cell (default 5), <c>--backends postgres,sqlite</c>.
/// </summary>
public sealed class EventStoreScenario : IBenchmarkScenario
{
    private static readonly int[] StreamCounts = [1, 64, 1024];

    public string Name => "eventstore";

    public string Description => "event store appends/s: per-event transaction vs group commit, 1/64/1024 streams, PostgreSQL and SQLite";

    public async Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var seconds = BenchmarkArgs.Int(args, "--seconds", 5);
        var backends = BenchmarkArgs.String(args, "--backends", "postgres,sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var figures = new Dictionary<string, object> { ["secondsPerCell"] = seconds };
        // The machine is shared: the load average beside each figure says how much of it we had.
        // commit ms (median), in flight (commits at once, on average) and wait ms (an append's, median) are the writer's own figures.
        Console.WriteLine($"{"backend",-9} {"mode",-10} {"streams",7} {"events/s",10} {"appends/tx",10} {"client µs/ev",12} {"server µs/ev",12} {"load",6} {"commit ms",9} {"in flight",9} {"wait ms",8}");
        foreach (var backend in backends)
        {
            await using var host = await BackendHost.StartAsync(backend);
            foreach (var streams in StreamCounts)
            {
                foreach (var (mode, options) in Modes())
                {
                    await using var store = await host.OpenStoreAsync(options);
                    var cell = await AppendLoop.RunAsync(store, streams, TimeSpan.FromSeconds(seconds), host.Cpu);
                    var load = LoadAverage();
                    Console.WriteLine($"{backend,-9} {mode,-10} {streams,7} {cell.EventsPerSecond,10:N0} {cell.AppendsPerTransaction,10:N1} {cell.ClientCpuMicroseconds,12:N0} {cell.ServerCpuMicroseconds,12:N0} {load,6} " +
                                      $"{cell.Commits["commitMedianMs"],9} {cell.Commits["commitsInFlight"],9} {cell.Commits["appendWaitMedianMs"],8}");
                    foreach (var (name, value) in cell.Commits)
                    {
                        figures[$"{backend}.{mode}.{streams}.{name}"] = value;
                    }

                    figures[$"{backend}.{mode}.{streams}.clientCpuMicrosecondsPerEvent"] = Math.Round(cell.ClientCpuMicroseconds);
                    figures[$"{backend}.{mode}.{streams}.serverCpuMicrosecondsPerEvent"] = Math.Round(cell.ServerCpuMicroseconds);
                    figures[$"{backend}.{mode}.{streams}.loadAverage"] = load;
                    figures[$"{backend}.{mode}.{streams}.eventsPerSecond"] = Math.Round(cell.EventsPerSecond);
                    figures[$"{backend}.{mode}.{streams}.appendsPerTransaction"] = Math.Round(cell.AppendsPerTransaction, 1);
                }

                var speedup = (double)figures[$"{backend}.group.{streams}.eventsPerSecond"] / Math.Max(1, (double)figures[$"{backend}.per-event.{streams}.eventsPerSecond"]);
                figures[$"{backend}.{streams}.groupCommitSpeedup"] = Math.Round(speedup, 1);
                Console.WriteLine($"{backend,-9} {"speedup",-10} {streams,7} {speedup,10:N1}x");
            }
        }

        return figures;
    }

    private static IEnumerable<(string Mode, EventStoreOptions Options)> Modes()
    {
        yield return ("per-event", new EventStoreOptions { MaxBatchSize = 1, MaxBatchDelay = TimeSpan.Zero });
        yield return ("group", new EventStoreOptions());
    }

    /// <summary>The one-minute load average (Linux), or "?" elsewhere.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>One throwaway PostgreSQL server (fsync on, as in production) or a temp folder for SQLite files.</summary>
    private sealed class BackendHost : IAsyncDisposable
    {
        private readonly TempPostgres? _postgres;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "hikyaku-esbench-" + Guid.NewGuid().ToString("N")[..12]);

        private BackendHost(TempPostgres? postgres)
        {
            _postgres = postgres;
            Cpu = new CpuMeter(postgres?.DataDir);
        }

        /// <summary>CPU of this process and, for PostgreSQL, of the server that does the other half of the work.</summary>
        public CpuMeter Cpu { get; }

        public static async Task<BackendHost> StartAsync(string backend) => backend switch
        {
            "postgres" => new BackendHost(await TempPostgres.StartAsync(fsync: true)),
            "sqlite" => new BackendHost(null),
            _ => throw new ArgumentException($"unknown backend '{backend}' (postgres, sqlite)"),
        };

        /// <summary>A store on a fresh database, so every cell starts from empty tables.</summary>
        public async Task<GroupCommitEventStore> OpenStoreAsync(EventStoreOptions options)
        {
            GroupCommitEventStore store = _postgres is null
                ? new SqliteEventStore(Path.Combine(_folder, $"{Guid.NewGuid():N}.db"), options)
                : new PostgresEventStore(await _postgres.CreateDatabaseAsync("bench"), options);
            await store.InitializeAsync();
            return store;
        }

        public ValueTask DisposeAsync()
        {
            // Stop only: TempPostgres deletes its folder itself at process exit, and fails there if it is already gone.
            _postgres?.Stop();

            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }

            return ValueTask.CompletedTask;
        }
    }
}
