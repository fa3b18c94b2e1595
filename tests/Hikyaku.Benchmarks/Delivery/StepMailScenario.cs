using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Hikyaku.Benchmarks.Bounces;
using Hikyaku.Testing;
using static Hikyaku.Benchmarks.Delivery.DeliveryScenario;

namespace Hikyaku.Benchmarks.Delivery;

/// <summary>
/// Step mail at scale, time compressed: N readers subscribe over seven "days" (imports spread over 7 × D seconds), a
/// five-story sequence (0, 1, 2, 3, 5 days) plays out, and a PostgreSQL silo delivers every story over real DNS + SMTP
/// to the simulated providers on loopback. Measures stories dispatched per second, the scheduler's lag from a story's due
/// time to its hand-over to a lane (p50 / p99), the peak number of grain activations and the silo's peak RSS.
/// </summary>
public sealed class StepMailScenario : IBenchmarkScenario
{
    private static readonly string[] SendingIps = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
    private static readonly double[] StoryDays = [0, 1, 2, 3, 5];

    public string Name => "stepmail";

    public string Description =>
        "step mail: N readers (--readers N, default 1000000) subscribing over 7 compressed days (--day-seconds D, default 60; " +
        "--imports-per-day K, default 24), a 5-story sequence " +
        "at 0/1/2/3/5 days, through a PostgreSQL silo to MxSim on loopback; stories/s, scheduler lag p50/p99, peak activations, silo peak RSS";

    public async Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var readers = BenchmarkArgs.Int(args, "--readers", 1_000_000);
        var day = TimeSpan.FromSeconds(BenchmarkArgs.Int(args, "--day-seconds", 60));
        var importsPerDay = Math.Max(1, BenchmarkArgs.Int(args, "--imports-per-day", 24));
        var stories = readers * StoryDays.Length;
        var results = new Dictionary<string, object> { ["readers"] = readers, ["daySeconds"] = day.TotalSeconds, ["importsPerDay"] = importsPerDay, ["stories"] = stories };
        // From day 5 to day 7 every story of the sequence has a cohort subscribing: what comes due per second at the peak.
        var peakDue = readers / 7.0 * StoryDays.Length / day.TotalSeconds;
        results["peakDuePerSecond"] = Math.Round(peakDue, 1);
        Console.WriteLine($"stepmail benchmark: {readers:N0} readers over 7 days of {day.TotalSeconds} s, {StoryDays.Length} stories ({stories:N0} messages), " +
                          $"{importsPerDay} imports a day; at the peak (days 5-7) {peakDue:F0} stories come due per second; " +
                          $"{Environment.ProcessorCount} cores, load {LoadAverage()}");

        await using var world = await LoopbackMailWorld.StartAsync();
        // --pg-statements: the server counts its statements (pg_stat_statements), printed at the end, most time first.
        var statements = args.Contains("--pg-statements");
        await using var pg = await TempPostgres.StartAsync(fsync: true, extraSettings: statements ? "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" : null);
        var connectionString = await pg.CreateDatabaseAsync("steps");
        var dataDir = Directory.CreateTempSubdirectory("hikyaku-stepbench").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Hikyaku__Storage"] = "Postgres",
            ["ConnectionStrings__Hikyaku"] = connectionString,
            ["Delivery__Sandbox"] = "false",
            ["Delivery__SmtpPort"] = world.SmtpPort.ToString(),
            ["Delivery__Lanes__ApplyProviderDefaults"] = "false",
            ["Delivery__Warmup__NewIps"] = "false",
            ["Dns__NameServers__0"] = $"127.0.0.1:{world.Dns.EndPoint.Port}",
        };
        await using var silo = await SiloProcess.StartAsync(dataDir, settings, TimeSpan.FromSeconds(120));
        await using var memory = ProcessMemory.FindSilo(silo.HttpPort);
        try
        {
            using var admin = silo.AdminClient();
            var apiKey = (await PostJsonAsync(admin, "/v1/tenants", new { id = "bench", name = "Benchmark" })).GetProperty("apiKey").GetString()!;
            await SendAsync(admin, HttpMethod.Put, "/v1/tenants/bench/ips", new { ips = SendingIps });
            using var api = silo.Client(apiKey);
            api.Timeout = TimeSpan.FromMinutes(5);
            await PostJsonAsync(api, "/v1/magazines", new { id = "steps", name = "Bench Steps", fromAddress = "steps@bench-sender.example" });
            var body = TextBody(4 * 1024);
            await SendAsync(api, HttpMethod.Put, "/v1/magazines/steps/steps",
                StoryDays.Select((d, i) => new { id = $"story{i}", after = System.Xml.XmlConvert.ToString(day * d), subject = $"Story {i}", textBody = body }).ToArray());

            var domains = world.Domains;
            var start = DateTimeOffset.UtcNow;
            var samples = new Sampler(admin, memory);
            using var stop = new CancellationTokenSource();
            var sampling = samples.RunAsync(stop.Token);

            // Where the CPU goes at the peak (days 5-7): the silo's, PostgreSQL's, this process's (the simulated providers and
            // DNS) and the whole machine's, so a rate short of the delivery benchmark's can be told from a machine that is full.
            var peakCpu = MeasureCpuAsync(start + day * 5, start + day * 7, memory?.Pid, pg.DataDir);

            // Seven days of subscriptions, spread: an import every 1/N of a day, so stories come due as evenly as readers
            // subscribed (one import a day would bring each day's cohort due at one instant, five cohorts at once).
            var slices = 7 * importsPerDay;
            for (var k = 0; k < slices; k++)
            {
                await Poll.UntilTime(start + day * k / importsPerDay);
                var from = (int)((long)readers * k / slices);
                var to = (int)((long)readers * (k + 1) / slices);
                if (to == from)
                {
                    continue;
                }

                var csv = new StringBuilder((to - from) * 32).Append("email\n");
                for (var i = from; i < to; i++) csv.Append($"r{i:D7}@{domains[i % domains.Count]}\n");
                using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
                using var response = await api.PostAsync("/v1/magazines/steps/subscribers/import", content);
                await ReadJsonAsync(response, "import");
                if (k % importsPerDay == 0)
                {
                    Console.WriteLine($"  {(DateTimeOffset.UtcNow - start).TotalSeconds,6:F0} s: day {k / importsPerDay}: importing {to - from:N0} readers every {day.TotalSeconds / importsPerDay:F1} s; " +
                                      $"accepted so far {world.AcceptedCount:N0}; {samples.Line()}");
                }
            }

            // The last subscribers' last story is due 5 days after the 7th day began; then wait for every story.
            var timeout = start + day * 12 + TimeSpan.FromSeconds(Math.Max(300, stories / 500.0));
            var print = Stopwatch.StartNew();
            while (world.AcceptedCount < stories)
            {
                if (DateTimeOffset.UtcNow > timeout) throw new TimeoutException($"only {world.AcceptedCount:N0} of {stories:N0} stories arrived");
                if (silo.HasExited) throw new InvalidOperationException("the silo exited:\n" + Tail(silo.Output));
                if (print.Elapsed.TotalSeconds >= 10)
                {
                    print.Restart();
                    Console.WriteLine($"  {(DateTimeOffset.UtcNow - start).TotalSeconds,6:F0} s: accepted {world.AcceptedCount:N0}/{stories:N0}; {samples.Line()}");
                }

                await Task.Delay(500);
            }

            await Task.Delay(2000); // anything sent twice arrives by now
            await stop.CancelAsync();
            await sampling;
            var accepted = world.Accepted;
            var first = accepted.Min(m => m.Time);
            var last = accepted.Max(m => m.Time);
            var duplicates = accepted.GroupBy(m => (m.Recipient, m.Subject)).Count(g => g.Count() > 1);
            var busy = accepted.GroupBy(m => m.Time.ToUnixTimeSeconds()).Select(g => g.Count()).OrderDescending().ToArray();
            var rate = accepted.Count / (last - first).TotalSeconds;
            var peakAccepted = accepted.Count(m => m.Time >= start + day * 5 && m.Time < start + day * 7);
            var peakRate = peakAccepted / (day * 2).TotalSeconds;
            Console.WriteLine($"stepmail: {accepted.Count:N0} stories accepted ({duplicates} twice) from {first - start:g} to {last - start:g}: {rate:F0}/s on average over the schedule, " +
                              $"{busy.Take(10).Average():F0}/s in the 10 busiest seconds, {peakRate:F0}/s over days 5-7 (due: {peakDue:F0}/s)");
            Console.WriteLine($"stepmail: scheduler lag p50 {samples.LagP50Max:F0} ms, p99 {samples.LagP99Max:F0} ms (the worst of each sample of the last 20,000 hand-overs); " +
                              $"peak activations {samples.PeakActivations:N0} (subscriber grains {samples.PeakReaders:N0}); silo peak RSS {Mb(memory?.PeakBytes ?? 0)} MB");
            var cpu = await peakCpu;
            var busyShare = cpu.Machine / (cpu.MachineTotal == 0 ? 1 : cpu.MachineTotal);
            var siloMs = cpu.Silo * 1000 / Math.Max(1, peakAccepted);
            var postgresMs = cpu.Postgres * 1000 / Math.Max(1, peakAccepted);
            Console.WriteLine($"stepmail: CPU over days 5-7 ({peakAccepted:N0} stories): machine busy {busyShare:P0} of {Environment.ProcessorCount} cores; silo {cpu.Silo:F1} s " +
                              $"({siloMs:F2} ms a story), PostgreSQL {cpu.Postgres:F1} s ({postgresMs:F2} ms a story), providers + DNS + this program {cpu.Bench:F1} s");
            results["peakMachineBusyShare"] = Math.Round(busyShare, 3);
            results["peakSiloCpuMsPerStory"] = Math.Round(siloMs, 3);
            results["peakPostgresCpuMsPerStory"] = Math.Round(postgresMs, 3);
            results["peakBenchCpuSeconds"] = Math.Round(cpu.Bench, 1);
            results["accepted"] = accepted.Count;
            results["duplicates"] = duplicates;
            results["storiesPerSecondOverSchedule"] = Math.Round(rate, 1);
            results["storiesPerSecondBusiest10s"] = Math.Round(busy.Take(10).Average(), 1);
            results["storiesPerSecondDays5To7"] = Math.Round(peakRate, 1);
            results["lagP50Ms"] = Math.Round(samples.LagP50Max);
            results["lagP99Ms"] = Math.Round(samples.LagP99Max);
            results["peakActivations"] = samples.PeakActivations;
            results["peakSubscriberActivations"] = samples.PeakReaders;
            results["siloPeakRssMB"] = Mb(memory?.PeakBytes ?? 0);
            results["loadAverage"] = LoadAverage();
            if (statements)
            {
                await PrintStatementsAsync(connectionString);
            }

            return results;
        }
        catch
        {
            Console.WriteLine("silo output (tail):\n" + Tail(silo.Output));
            throw;
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record CpuSpent(double Silo, double Postgres, double Bench, double Machine, double MachineTotal);

    /// <summary>CPU seconds spent from <paramref name="from"/> to <paramref name="to"/> by the silo, PostgreSQL, this process and the machine.</summary>
    private static async Task<CpuSpent> MeasureCpuAsync(DateTimeOffset from, DateTimeOffset to, int? siloPid, string pgDataDir)
    {
        await Poll.UntilTime(from);
        CpuSpent Now()
        {
            var machine = ProcCpu.Machine();
            return new(siloPid is { } pid ? ProcCpu.Seconds(pid) : 0, ProcCpu.PostgresSeconds(pgDataDir), Bounces.BenchmarkArgs.CpuTime().TotalSeconds, machine.Busy, machine.Total);
        }

        var before = Now();
        await Poll.UntilTime(to);
        var after = Now();
        return new(after.Silo - before.Silo, after.Postgres - before.Postgres, after.Bench - before.Bench, after.Machine - before.Machine, after.MachineTotal - before.MachineTotal);
    }

    /// <summary>The statements that took the server's time, most first: where a story's cost in the database goes.</summary>
    private static async Task PrintStatementsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new Npgsql.NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var cmd = new Npgsql.NpgsqlCommand("""
            SELECT calls, round(total_exec_time)::bigint, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 15
            """, connection);
        await using var r = await cmd.ExecuteReaderAsync();
        Console.WriteLine("PostgreSQL statements by time (calls, ms, rows, statement):");
        while (await r.ReadAsync())
        {
            Console.WriteLine($"  {r.GetInt64(0),10:N0} {r.GetInt64(1),9:N0} ms {r.GetInt64(2),10:N0}  {r.GetString(3)}");
        }
    }

    /// <summary>Every two seconds: the scheduler's lag, the cluster's activations and the silo's RSS.</summary>
    private sealed class Sampler(HttpClient admin, ProcessMemory? memory)
    {
        public double LagP50Max { get; private set; }

        public double LagP99Max { get; private set; }

        public int PeakActivations { get; private set; }

        public int PeakReaders { get; private set; }

        private JsonElement _last;

        public string Line() =>
            $"lag p50/p99 {(_last.ValueKind == JsonValueKind.Object ? $"{_last.GetProperty("lagP50Ms").GetDouble():F0}/{_last.GetProperty("lagP99Ms").GetDouble():F0}" : "-")} ms, " +
            $"activations peak {PeakActivations:N0}, RSS {Mb(memory?.CurrentBytes ?? 0)} MB";

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    _last = await GetJsonAsync(admin, "/v1/diagnostics/magazines/bench/steps/steps");
                    LagP50Max = Math.Max(LagP50Max, _last.GetProperty("lagP50Ms").GetDouble());
                    LagP99Max = Math.Max(LagP99Max, _last.GetProperty("lagP99Ms").GetDouble());
                    var activations = await GetJsonAsync(admin, "/v1/diagnostics/activations");
                    PeakActivations = Math.Max(PeakActivations, activations.GetProperty("total").GetInt32());
                    PeakReaders = Math.Max(PeakReaders, activations.GetProperty("byType").TryGetProperty("SubscriberGrain", out var r) ? r.GetInt32() : 0);
                    await Task.Delay(2000, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
                {
                    // a busy silo's slow answer: the next sample
                }
            }
        }
    }
}
