using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hikyaku.Benchmarks.Bounces;
using Hikyaku.Benchmarks.MxSim;
using Hikyaku.MxSim;
using Hikyaku.MxSim.Journal;
using Hikyaku.Testing;
using Npgsql;

namespace Hikyaku.Benchmarks.Delivery;

/// <summary>
/// End-to-end delivery: one broadcast to N readers over 20 domains from 4 sending IPs, ~10 KB each, a
/// clustered-mode silo (its own process, PostgreSQL event store) delivering over real DNS + SMTP to the
/// simulated providers on loopback. Then the same N messages through a private Postfix relaying to an
/// accept-all sink on the same machine, injected over SMTP, and the ratio of the two rates.
/// </summary>
public sealed class DeliveryScenario : IBenchmarkScenario
{
    private static readonly string[] SendingIps = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];

    public string Name => "delivery";

    public string Description =>
        "broadcast to N readers (--readers N, default 100000) through a PostgreSQL silo to MxSim on loopback, vs Postfix relaying the same N " +
        "(--dkim off|on|both (both), --no-postfix, --no-hikyaku, --postfix-connections N (8), --postfix-concurrency N (20), --lane-concurrency N, --lane-batch N, --lane-rate N per min, --max-conn N; --block disguised|explicit: a no-block run, then Microsoft blocking 1 of the 4 IPs from 30% of the run, DKIM off, no Postfix)";

    public async Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var readers = BenchmarkArgs.Int(args, "--readers", 100_000);
        var results = new Dictionary<string, object> { ["readers"] = readers, ["domains"] = 20, ["sendingIps"] = SendingIps.Length };
        Console.WriteLine($"delivery benchmark: {readers:N0} readers, 20 domains, {SendingIps.Length} sending IPs, ~10 KB text; {Environment.ProcessorCount} cores, load {LoadAverage()}");
        var body = TextBody(10 * 1024);
        var domains = LoopbackMailWorld.DomainNames(20);
        string Recipient(int i) => $"r{i:D7}@{domains[i % domains.Count]}";

        if (BenchmarkArgs.String(args, "--block", "") is { Length: > 0 } blockMode)
        {
            return await RunBlockAsync(args, readers, body, Recipient, results, blockMode);
        }

        var dkimModes = BenchmarkArgs.String(args, "--dkim", "both") switch
        {
            "off" => new[] { false },
            "on" => [true],
            _ => [false, true],
        };
        double? hikyakuRate = null;
        var signed = new Dictionary<string, object>();
        if (!args.Contains("--no-hikyaku"))
        {
            foreach (var dkim in dkimModes)
            {
                Console.WriteLine($"--- Hikyaku, DKIM {(dkim ? "on (RSA-2048, the tenant's key)" : "off")}");
                var rate = await RunHikyakuAsync(args, readers, body, Recipient, dkim ? signed : results, dkim);
                hikyakuRate = dkim ? hikyakuRate : rate;
            }

            if (dkimModes.Contains(true))
            {
                // The signing bound, measured in this run: one core composing signed 10 KB messages.
                using var key = Hikyaku.Smtp.Dkim.DkimKey.Generate("bench-sender.example", "bench");
                foreach (var (name, value) in Smtp.SmtpSendScenario.SingleCoreRates(key)) signed[name] = value;
                results["dkimOn"] = signed;
            }
        }

        double? postfixRate = null;
        if (!args.Contains("--no-postfix"))
        {
            if (PostfixRelay.Unavailable() is { } why)
            {
                Console.WriteLine($"Postfix: not measured — {why}");
                results["postfixUnavailable"] = why;
            }
            else
            {
                try
                {
                    postfixRate = await RunPostfixAsync(args, readers, body, Recipient, results);
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
                {
                    Console.WriteLine($"Postfix: not measured — {e.Message}");
                    results["postfixUnavailable"] = e.Message;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| figure (N = {readers:N0}, load {LoadAverage()}) | value | target |");
        Console.WriteLine("|---|---|---|");
        Row("Hikyaku messages/s, DKIM off", results, "messagesPerSecond", "≥ 1,500");
        Row("Hikyaku messages/s, DKIM on", signed, "messagesPerSecond", "≥ 500");
        Row("  single core: signed 10 KB messages composed per CPU second", signed, "composeSignedPerSecondSingleCore", "");
        Row("  single core: bare RSA-2048 signatures per CPU second", signed, "rsaSignaturesPerSecondSingleCore", "");
        Row("silo peak RSS (MB), DKIM on", signed, "siloPeakRssMB", "≤ 1,536 (100k readers)");
        Row("Hikyaku events/s", results, "eventsPerSecond", "");
        Row("p50 broadcast start → accept (s)", results, "p50Seconds", "");
        Row("p99 broadcast start → accept (s)", results, "p99Seconds", "");
        Row("silo peak RSS (MB)", results, "siloPeakRssMB", "≤ 1,536 (100k readers)");
        Row("Postfix messages/s", results, "postfixMessagesPerSecond", "");
        if (hikyakuRate is { } h && postfixRate is { } p && p > 0)
        {
            results["ratio"] = Math.Round(h / p, 2);
        }

        Row("ratio Hikyaku / Postfix", results, "ratio", "≥ 4");
        Row("Hikyaku messages per silo CPU second", results, "messagesPerSiloCpuSecond", "");
        Row("Hikyaku messages per (silo + PostgreSQL) CPU second", results, "messagesPerSiloAndPostgresCpuSecond", "");
        Row("Postfix messages per Postfix CPU second", results, "postfixMessagesPerCpuSecond", "");
        if (results.TryGetValue("messagesPerSiloCpuSecond", out var hc) && results.TryGetValue("postfixMessagesPerCpuSecond", out var pc) && (double)pc > 0)
        {
            results["cpuRatio"] = Math.Round((double)hc / (double)pc, 2);
        }

        if (results.TryGetValue("messagesPerSiloAndPostgresCpuSecond", out var hpc) && results.TryGetValue("postfixMessagesPerCpuSecond", out var pc2) && (double)pc2 > 0)
        {
            results["cpuRatioWithPostgres"] = Math.Round((double)hpc / (double)pc2, 2);
        }

        Row("ratio per CPU second (silo alone vs Postfix alone)", results, "cpuRatio", "");
        Row("ratio per CPU second (silo + PostgreSQL vs Postfix)", results, "cpuRatioWithPostgres", "");
        results["loadAverageAtEnd"] = LoadAverage();
        return results;
    }

    /// <summary>A provider blocking one sending IP once a share of the run's messages were accepted.</summary>
    private sealed record BlockPlan(string Mode, string Provider, string Ip, double AtShare);

    /// <summary>
    /// The block benchmark: the same broadcast without a block, then with Microsoft blocking one of the four IPs (explicitly,
    /// or in disguise: "mailbox unavailable" for every reader) from 30% of the run. Every mailbox exists, so every error stop
    /// is a false one.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, object>> RunBlockAsync(string[] args, int readers, string body, Func<int, string> recipient, Dictionary<string, object> results, string mode)
    {
        if (mode is not ("disguised" or "explicit"))
        {
            throw new ArgumentException($"--block {mode}: disguised or explicit");
        }

        var plain = new Dictionary<string, object>();
        Console.WriteLine("--- Hikyaku, no block (DKIM off)");
        var plainRate = await RunHikyakuAsync(args, readers, body, recipient, plain, false);
        var blocked = new Dictionary<string, object>();
        var plan = new BlockPlan(mode, "microsoft", SendingIps[1], 0.3);
        Console.WriteLine($"--- Hikyaku, {plan.Provider} blocks {plan.Ip} ({mode}) from {plan.AtShare:P0} of the run (DKIM off)");
        var blockedRate = await RunHikyakuAsync(args, readers, body, recipient, blocked, false, plan);
        results["block"] = mode;
        results["noBlock"] = plain;
        results["withBlock"] = blocked;
        if (plainRate is { } p && blockedRate is { } b && p > 0)
        {
            results["throughputRatio"] = Math.Round(b / p, 3);
        }

        Console.WriteLine();
        Console.WriteLine($"| figure (N = {readers:N0}, block {mode}, load {LoadAverage()}) | value | target |");
        Console.WriteLine("|---|---|---|");
        Row("messages/s without a block", plain, "messagesPerSecond", "");
        Row("messages/s with the block", blocked, "messagesPerSecond", "");
        Row("throughput with / without", results, "throughputRatio", "≥ 0.70");
        Row("RCPTs offered on the blocked lane after its first block reply", blocked, "rcptsAfterFirstBlockReply", mode == "explicit" ? "≤ 5" : "≤ 20");
        Row("false error stops", blocked, "falseErrorStops", "0");
        Row("readers held or taken back by the block", blocked, "heldReaders", "");
        Row("  served after the block began: median s", blocked, "heldServedMedianSeconds", "");
        Row("  served after the block began: max s", blocked, "heldServedMaxSeconds", "");
        Row("readers never served", blocked, "readersNotServed", "0");
        Row("readers served twice", blocked, "duplicateReaders", "0");
        results["loadAverageAtEnd"] = LoadAverage();
        return results;
    }

    private static void Row(string name, Dictionary<string, object> results, string key, string target) =>
        Console.WriteLine($"| {name} | {(results.TryGetValue(key, out var v) ? string.Format("{0:N2}", v) : results.ContainsKey("postfixUnavailable") && key.StartsWith("postfix", StringComparison.Ordinal) ? "not measured" : "—")} | {target} |");

    // ------------------------------------------------------------------ Hikyaku

    private static async Task<double?> RunHikyakuAsync(string[] args, int readers, string body, Func<int, string> recipient, Dictionary<string, object> results, bool dkim, BlockPlan? block = null)
    {
        await using var world = await LoopbackMailWorld.StartAsync();
        await using var pg = await TempPostgres.StartAsync(fsync: true);
        var cs = await pg.CreateDatabaseAsync("bench");
        var dataDir = Path.Combine(Path.GetTempPath(), "hikyaku-bench-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dataDir);
        var settings = new Dictionary<string, string>
        {
            ["Hikyaku__Storage"] = "Postgres",
            ["ConnectionStrings__Hikyaku"] = cs,
            ["Delivery__Sandbox"] = "false",
            ["Delivery__SmtpPort"] = world.SmtpPort.ToString(),
            ["Delivery__Lanes__ApplyProviderDefaults"] = "false", // throughput, not a fresh IP's warm-up
            ["Delivery__Warmup__NewIps"] = "false", // nor its daily warm-up caps
            ["Dns__NameServers__0"] = $"127.0.0.1:{world.Dns.EndPoint.Port}",
        };
        void Pass(string arg, string key)
        {
            var v = BenchmarkArgs.Int(args, arg, 0);
            if (v > 0) settings[key] = v.ToString();
        }

        Pass("--lane-concurrency", "Delivery__Lanes__Concurrency");
        Pass("--lane-batch", "Delivery__Lanes__BatchSize");
        Pass("--lane-rate", "Delivery__Lanes__InitialRatePerMinute");
        Pass("--max-conn", "Delivery__MaxConnectionsPerTarget");
        foreach (var (k, v) in settings.Where(kv => kv.Key.StartsWith("Delivery__Lanes", StringComparison.Ordinal) || kv.Key == "Delivery__MaxConnectionsPerTarget"))
        {
            Console.WriteLine($"  silo setting {k}={v}");
        }

        var watch = Stopwatch.StartNew();
        await using var silo = await SiloProcess.StartAsync(dataDir, settings, TimeSpan.FromSeconds(120));
        await using var memory = ProcessMemory.FindSilo(silo.HttpPort);
        Console.WriteLine($"silo ready in {watch.Elapsed.TotalSeconds:F1} s (pid {memory?.Pid.ToString() ?? "not found"}), SMTP port {world.SmtpPort}, DNS {world.Dns.EndPoint}");

        try
        {
            using var admin = silo.AdminClient();
            var tenant = await PostJsonAsync(admin, "/v1/tenants", new { id = "bench", name = "Benchmark" });
            var apiKey = tenant.GetProperty("apiKey").GetString()!;
            await SendAsync(admin, HttpMethod.Put, "/v1/tenants/bench/ips", new { ips = SendingIps });
            using var api = silo.Client(apiKey);
            api.Timeout = TimeSpan.FromMinutes(5);
            await PostJsonAsync(api, "/v1/magazines", new { id = "news", name = "Bench News", fromAddress = "news@bench-sender.example", fromName = "Bench" });
            if (dkim)
            {
                await SendAsync(api, HttpMethod.Put, "/v1/settings/dkim", new { domain = "bench-sender.example", selector = "bench" });
                results["dkim"] = "rsa-2048";
            }

            // Import the readers.
            watch.Restart();
            var csv = new StringBuilder(readers * 32);
            csv.Append("email,name\n");
            for (var i = 0; i < readers; i++) csv.Append(recipient(i)).Append(",Reader ").Append(i).Append('\n');
            using var csvContent = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
            using var importResponse = await api.PostAsync("/v1/magazines/news/subscribers/import", csvContent);
            var importJson = await ReadJsonAsync(importResponse, "import");
            var importId = importJson.GetProperty("importId").GetString()!;
            JsonElement import;
            while (true)
            {
                import = await GetJsonAsync(api, $"/v1/imports/{importId}");
                if (import.GetProperty("state").GetString() == "finished") break;
                await Task.Delay(500);
                if (silo.HasExited) throw new InvalidOperationException("the silo exited during import:\n" + Tail(silo.Output));
            }

            var importSeconds = watch.Elapsed.TotalSeconds;
            var imported = import.TryGetProperty("imported", out var imp) ? imp.GetInt32() : -1;
            Console.WriteLine($"imported {imported:N0} readers in {importSeconds:F1} s ({imported / importSeconds:F0}/s); silo RSS {Mb(memory?.CurrentBytes ?? 0)} MB");
            results["importSeconds"] = Math.Round(importSeconds, 1);
            results["imported"] = imported;

            // The broadcast.
            var eventsBefore = await CountEventsAsync(cs);
            var siloCpu = memory is null ? 0 : ProcCpu.Seconds(memory.Pid);
            var pgCpu = ProcCpu.PostgresSeconds(pg.DataDir);
            var benchCpu = BenchmarkArgs.CpuTime();
            var start = DateTimeOffset.UtcNow;
            var created = await PostJsonAsync(api, "/v1/magazines/news/broadcasts", new { subject = "Bench broadcast", textBody = body });
            var broadcastId = created.GetProperty("id").GetString()!;
            DateTimeOffset? blockedAt = null;
            using var stopBlock = new CancellationTokenSource();
            var blocking = block is null ? Task.CompletedTask : Task.Run(async () =>
            {
                while (!stopBlock.IsCancellationRequested && world.AcceptedCount < block.AtShare * readers)
                {
                    await Task.Delay(20);
                }

                if (!stopBlock.IsCancellationRequested)
                {
                    world.Providers[block.Provider].SetBehaviour(block.Mode == "explicit" ? Behaviour.ExplicitBlock : Behaviour.DisguisedBlock, block.Ip);
                    blockedAt = DateTimeOffset.UtcNow;
                    Console.WriteLine($"  {(blockedAt.Value - start).TotalSeconds,6:F1} s: {block.Provider} now blocks {block.Ip} ({block.Mode}), {world.AcceptedCount:N0} accepted so far");
                }
            });
            var timeout = TimeSpan.FromSeconds(Math.Max(600, readers / 50.0));
            JsonElement view;
            var lastPrint = Stopwatch.StartNew();
            DateTimeOffset finishedSeen;
            while (true)
            {
                view = await GetJsonAsync(api, $"/v1/broadcasts/{broadcastId}");
                var state = view.GetProperty("state").GetString();
                if (state == "finished")
                {
                    finishedSeen = DateTimeOffset.UtcNow;
                    break;
                }

                if (lastPrint.Elapsed.TotalSeconds >= 10)
                {
                    lastPrint.Restart();
                    Console.WriteLine($"  {(DateTimeOffset.UtcNow - start).TotalSeconds,6:F0} s: {state}, delivered {view.GetProperty("delivered").GetInt32():N0}/{view.GetProperty("total").GetInt32():N0}, " +
                                      $"deferred {view.GetProperty("deferred").GetInt32():N0}, accepted at sinks {world.AcceptedCount:N0}, silo RSS {Mb(memory?.CurrentBytes ?? 0)} MB, load {LoadAverage()}");
                }

                if (silo.HasExited) throw new InvalidOperationException("the silo exited during the broadcast:\n" + Tail(silo.Output));
                if (DateTimeOffset.UtcNow - start > timeout) throw new TimeoutException($"the broadcast did not finish within {timeout}: {view}");
                await Task.Delay(250);
            }

            await stopBlock.CancelAsync();
            await blocking;
            if (block is not null)
            {
                await BlockFigures(api, world, block, blockedAt, readers, recipient, view, results);
            }

            siloCpu = memory is null ? 0 : ProcCpu.Seconds(memory.Pid) - siloCpu;
            pgCpu = ProcCpu.PostgresSeconds(pg.DataDir) - pgCpu;
            var sinkCpu = (BenchmarkArgs.CpuTime() - benchCpu).TotalSeconds;
            var eventsAfter = await CountEventsAsync(cs);
            var accepted = world.Accepted;
            var delivered = view.GetProperty("delivered").GetInt32();
            Console.WriteLine($"broadcast finished: {view}");
            if (accepted.Count == 0) throw new InvalidOperationException("no message reached the sinks");

            var last = accepted.Max(m => m.Time);
            var seconds = (last - start).TotalSeconds;
            var latencies = accepted.Select(m => (m.Time - start).TotalSeconds).Order().ToArray();
            var messagesPerSecond = accepted.Count / seconds;
            var events = eventsAfter - eventsBefore;
            var eventSeconds = (finishedSeen - start).TotalSeconds;
            var duplicates = accepted.GroupBy(m => m.Recipient, StringComparer.OrdinalIgnoreCase).Count(g => g.Count() > 1);
            var sizes = accepted.Average(m => m.Size);
            var peak = memory?.PeakBytes ?? 0;
            Console.WriteLine($"Hikyaku: {accepted.Count:N0} accepted at the sinks ({delivered:N0} counted delivered, {duplicates} readers twice, {world.RejectedCount} refusals), " +
                              $"average {sizes / 1024:F1} KB, last accept {seconds:F1} s after the broadcast request: {messagesPerSecond:F0} messages/s");
            Console.WriteLine($"Hikyaku: {events:N0} events in {eventSeconds:F1} s (request → finished seen): {events / eventSeconds:F0} events/s; " +
                              $"p50 {Percentile(latencies, 0.50):F2} s, p99 {Percentile(latencies, 0.99):F2} s; silo peak RSS {Mb(peak)} MB");
            Console.WriteLine($"Hikyaku: silo CPU {siloCpu:F1} s for the broadcast ({accepted.Count / siloCpu:F0} messages per silo CPU second); " +
                              $"PostgreSQL {pgCpu:F1} s; silo + PostgreSQL {accepted.Count / (siloCpu + pgCpu):F0} messages per CPU second; sinks + DNS + poller (this process) {sinkCpu:F1} s");
            foreach (var bySource in accepted.GroupBy(m => m.SourceIp.ToString()).OrderBy(g => g.Key))
            {
                Console.WriteLine($"  from {bySource.Key}: {bySource.Count():N0}");
            }

            results["accepted"] = accepted.Count;
            results["delivered"] = delivered;
            results["duplicateReaders"] = duplicates;
            results["refusals"] = world.RejectedCount;
            results["averageMessageBytes"] = Math.Round(sizes);
            results["seconds"] = Math.Round(seconds, 2);
            results["messagesPerSecond"] = Math.Round(messagesPerSecond, 1);
            results["events"] = events;
            results["eventsPerSecond"] = Math.Round(events / eventSeconds, 1);
            results["p50Seconds"] = Math.Round(Percentile(latencies, 0.50), 3);
            results["p99Seconds"] = Math.Round(Percentile(latencies, 0.99), 3);
            results["siloPeakRssMB"] = Mb(peak);
            results["siloCpuSeconds"] = Math.Round(siloCpu, 1);
            results["messagesPerSiloCpuSecond"] = Math.Round(accepted.Count / siloCpu, 1);
            results["postgresCpuSeconds"] = Math.Round(pgCpu, 1);
            results["messagesPerSiloAndPostgresCpuSecond"] = Math.Round(accepted.Count / (siloCpu + pgCpu), 1);
            results["sinkProcessCpuSeconds"] = Math.Round(sinkCpu, 1);
            results["loadAverageAfterHikyaku"] = LoadAverage();
            return messagesPerSecond;
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

    /// <summary>What the block cost, from the simulated providers' record and the block the tenant sees.</summary>
    private static async Task BlockFigures(HttpClient api, LoopbackMailWorld world, BlockPlan block, DateTimeOffset? blockedAt, int readers, Func<int, string> recipient,
        JsonElement view, Dictionary<string, object> results)
    {
        if (blockedAt is not { } at)
        {
            Console.WriteLine("  the block never began (the run finished first)");
            results["blockBegan"] = false;
            return;
        }

        var journal = world.Providers.Journal;
        var refused = journal.Rejected.Where(r => r.Provider == block.Provider && r.SourceIp.ToString() == block.Ip && r.Time >= at).OrderBy(r => r.Time).ToList();
        var first = refused.FirstOrDefault()?.Time;
        var after = first is { } f
            ? refused.Count(r => r.Time > f) + journal.Accepted.Count(m => m.Provider == block.Provider && m.SourceIp.ToString() == block.Ip && m.Time > f)
            : 0;
        results["blockBegan"] = true;
        results["rcptsAfterFirstBlockReply"] = after;
        results["falseErrorStops"] = view.GetProperty("errorStopped").GetInt32();

        var blocks = await GetJsonAsync(api, "/v1/blocks");
        var touched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var b in blocks.GetProperty("items").EnumerateArray())
        {
            var detail = await GetJsonAsync(api, $"/v1/blocks/{b.GetProperty("id").GetString()}");
            Console.WriteLine($"  block {detail.GetProperty("id").GetString()}: {detail.GetProperty("provider").GetString()} {detail.GetProperty("sourceIp").GetString()} {detail.GetProperty("kind").GetString()}, " +
                              $"decided on {detail.GetProperty("figures")}");
            foreach (var list in new[] { "held", "errorStoppedThenHeld" })
            {
                foreach (var r in detail.GetProperty(list).EnumerateArray())
                {
                    touched.Add(r.GetProperty("email").GetString()!);
                }
            }
        }

        results["blocksDetected"] = blocks.GetProperty("items").GetArrayLength();
        var accepted = journal.Accepted.Concat(world.GenericSink.Journal.Accepted).GroupBy(m => m.Recipient, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Min(m => m.Time), StringComparer.OrdinalIgnoreCase);
        var served = touched.Where(accepted.ContainsKey).Select(r => (accepted[r] - at).TotalSeconds).Order().ToArray();
        results["heldReaders"] = touched.Count;
        results["heldServed"] = served.Length;
        if (served.Length > 0)
        {
            results["heldServedMedianSeconds"] = Math.Round(Percentile(served, 0.5), 2);
            results["heldServedMaxSeconds"] = Math.Round(served[^1], 2);
        }

        results["readersNotServed"] = Enumerable.Range(0, readers).Count(i => !accepted.ContainsKey(recipient(i)));
        Console.WriteLine($"  {after} RCPTs offered on the blocked lane after its first block reply; {results["falseErrorStops"]} error stops (every mailbox exists); " +
                          $"{touched.Count} readers held, {served.Length} of them served since");
    }

    private static async Task<long> CountEventsAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM hk_events", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    // ------------------------------------------------------------------ Postfix

    private static async Task<double?> RunPostfixAsync(string[] args, int readers, string body, Func<int, string> recipient, Dictionary<string, object> results)
    {
        var connections = BenchmarkArgs.Int(args, "--postfix-connections", 8);
        var concurrency = BenchmarkArgs.Int(args, "--postfix-concurrency", 20);
        var sinkAddress = IPAddress.Parse("127.0.10.10");
        var sinkPort = LoopbackMailWorld.FreePortOn([sinkAddress]);
        await using var sink = await MxSimHost.StartAsync([new ProviderOptions { Profile = "google", Listen = new IPEndPoint(sinkAddress, sinkPort), AcceptAll = true }]);
        await using var postfix = await PostfixRelay.StartAsync(new IPEndPoint(sinkAddress, sinkPort), concurrency);
        Console.WriteLine($"Postfix {PostfixVersion()} on 127.0.0.1:{postfix.Port} relaying to [{sinkAddress}]:{sinkPort}; {connections} injecting connections, destination concurrency {concurrency}");
        var bodyBytes = Encoding.ASCII.GetBytes(body.Replace("\n", "\r\n"));

        // Warm-up: a few hundred messages so Postfix has its daemons running, then measure from an empty sink.
        var warm = Math.Min(200, readers);
        await InjectAsync(postfix.EndPoint, Math.Min(connections, 4), warm, i => $"warm{i}@gmail.com", bodyBytes);
        await WaitForSinkAsync(sink.Journal, warm, TimeSpan.FromSeconds(120), postfix);
        sink.Journal.Clear();

        var postfixCpu = ProcCpu.PostfixSeconds(postfix.ConfigDirectory);
        var benchCpu = BenchmarkArgs.CpuTime();
        var start = DateTimeOffset.UtcNow;
        var injectWatch = Stopwatch.StartNew();
        var injecting = InjectAsync(postfix.EndPoint, connections, readers, recipient, bodyBytes);
        await injecting;
        var injectSeconds = injectWatch.Elapsed.TotalSeconds;
        Console.WriteLine($"  injected {readers:N0} in {injectSeconds:F1} s ({readers / injectSeconds:F0}/s); at the sink so far {sink.Journal.AcceptedCount:N0}");
        await WaitForSinkAsync(sink.Journal, readers, TimeSpan.FromSeconds(Math.Max(600, readers / 20.0)), postfix);
        postfixCpu = ProcCpu.PostfixSeconds(postfix.ConfigDirectory) - postfixCpu;
        var sinkCpu = (BenchmarkArgs.CpuTime() - benchCpu).TotalSeconds;
        var accepted = sink.Journal.Accepted;
        var last = accepted.Max(m => m.Time);
        var seconds = (last - start).TotalSeconds;
        var rate = accepted.Count / seconds;
        var latencies = accepted.Select(m => (m.Time - start).TotalSeconds).Order().ToArray();
        Console.WriteLine($"Postfix: {accepted.Count:N0} accepted at the sink, average {accepted.Average(m => m.Size) / 1024:F1} KB, last accept {seconds:F1} s after the first injection: {rate:F0} messages/s " +
                          $"(p50 {Percentile(latencies, 0.5):F2} s, p99 {Percentile(latencies, 0.99):F2} s)");
        Console.WriteLine($"Postfix: CPU {postfixCpu:F1} s ({accepted.Count / postfixCpu:F0} messages per Postfix CPU second, {postfixCpu * 1000 / accepted.Count:F2} ms per message); " +
                          $"injector + sink (this process) {sinkCpu:F1} s");
        results["postfixCpuSeconds"] = Math.Round(postfixCpu, 1);
        results["postfixMessagesPerCpuSecond"] = Math.Round(accepted.Count / postfixCpu, 1);
        results["postfixSinkProcessCpuSeconds"] = Math.Round(sinkCpu, 1);
        results["postfixVersion"] = PostfixVersion();
        results["postfixAccepted"] = accepted.Count;
        results["postfixSeconds"] = Math.Round(seconds, 2);
        results["postfixInjectSeconds"] = Math.Round(injectSeconds, 2);
        results["postfixMessagesPerSecond"] = Math.Round(rate, 1);
        results["postfixAverageMessageBytes"] = Math.Round(accepted.Average(m => m.Size));
        results["postfixP50Seconds"] = Math.Round(Percentile(latencies, 0.5), 3);
        results["postfixP99Seconds"] = Math.Round(Percentile(latencies, 0.99), 3);
        return rate;
    }

    /// <summary>N messages over <paramref name="connections"/> pipelining sessions (TCP_NODELAY) from the four sending IPs.</summary>
    private static async Task InjectAsync(IPEndPoint server, int connections, int count, Func<int, string> recipient, byte[] body)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var source = IPAddress.Parse(SendingIps[c % SendingIps.Length]);
            var sender = await RawSmtpSender.ConnectAsync(server, source);
            var sentOnSession = 0;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    if (sentOnSession == 100)
                    {
                        // Like Hikyaku (Delivery:MaxMessagesPerConnection = 100): a fresh session every 100 messages.
                        await sender.DisposeAsync();
                        sender = await RawSmtpSender.ConnectAsync(server, source);
                        sentOnSession = 0;
                    }

                    var to = recipient(i);
                    var headers = $"From: Bench <news@bench-sender.example>\r\nTo: <{to}>\r\nSubject: Bench broadcast\r\n" +
                                  $"Date: {DateTimeOffset.UtcNow:R}\r\nMessage-ID: <{i}.{c}@bench-sender.example>\r\nMIME-Version: 1.0\r\n" +
                                  "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
                    await sender.SendAsync(to, [.. Encoding.ASCII.GetBytes(headers), .. body]);
                    sentOnSession++;
                }
            }
            finally
            {
                await sender.DisposeAsync();
            }
        }));
    }

    private static async Task WaitForSinkAsync(DeliveryJournal journal, int count, TimeSpan timeout, PostfixRelay postfix)
    {
        var watch = Stopwatch.StartNew();
        var lastPrint = Stopwatch.StartNew();
        while (journal.AcceptedCount < count)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"the sink received {journal.AcceptedCount} of {count} within {timeout}; Postfix log: {postfix.Problems()}");
            }

            if (lastPrint.Elapsed.TotalSeconds >= 10)
            {
                lastPrint.Restart();
                Console.WriteLine($"  {watch.Elapsed.TotalSeconds,6:F0} s: at the sink {journal.AcceptedCount:N0}/{count:N0}, Postfix queue {postfix.QueuedFiles():N0} files, load {LoadAverage()}");
            }

            await Task.Delay(100);
        }
    }

    private static string PostfixVersion()
    {
        try
        {
            var psi = new ProcessStartInfo("/usr/sbin/postconf", "-d -h mail_version") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>About <paramref name="bytes"/> of plain ASCII text in short lines (7bit, nothing to encode).</summary>
    internal static string TextBody(int bytes)
    {
        var text = new StringBuilder(bytes + 100);
        var line = 0;
        while (text.Length < bytes)
        {
            text.Append($"Line {line++:D3}: the quick brown fox jumps over the lazy dog, and the hikyaku runs on.\n");
        }

        return text.ToString();
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    internal static long Mb(long bytes) => bytes / (1024 * 1024);

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    internal static string Tail(string text, int lines = 40) => string.Join('\n', text.Split('\n').TakeLast(lines));

    internal static async Task<JsonElement> PostJsonAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        return await ReadJsonAsync(response, $"POST {path}");
    }

    internal static async Task SendAsync(HttpClient http, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        await ReadJsonAsync(response, $"{method} {path}");
    }

    internal static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return await ReadJsonAsync(response, $"GET {path}");
    }

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
