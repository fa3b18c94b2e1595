using System.Diagnostics;
using System.Net;
using Hikyaku.Benchmarks.Bounces;
using Hikyaku.MxSim;
using Hikyaku.Smtp;
using Hikyaku.Smtp.Composition;
using Hikyaku.Smtp.Dkim;

namespace Hikyaku.Benchmarks.Smtp;

/// <summary>
/// End to end through Hikyaku.Smtp: compose (and DKIM-sign) each reader's ~10 KB message and send
/// it from 4 source IPs to a simulated provider on loopback, client and sink sharing the machine.
/// Targets (issue): ≥ 1,500 msg/s DKIM off, ≥ 500 msg/s DKIM on (RSA-2048) on 2 cores. The
/// single-core composing and signing rates are measured in the same run to show where time goes.
/// </summary>
public sealed class SmtpSendScenario : IBenchmarkScenario
{
    public string Name => "smtp-send";

    public string Description => "compose + send ~10 KB messages to MxSim, DKIM off and on (--messages N, default 20000; --ips N, default 4; --connections N per IP, default 2; --page N, default 500)";

    public async Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var messages = BenchmarkArgs.Int(args, "--messages", 20_000);
        var ips = BenchmarkArgs.Int(args, "--ips", 4);
        var connections = BenchmarkArgs.Int(args, "--connections", 2);
        var page = BenchmarkArgs.Int(args, "--page", 500);
        using var key = DkimKey.Generate("magazine.example.jp", "bench");
        var results = new Dictionary<string, object> { ["messages"] = messages, ["sourceIps"] = ips, ["connectionsPerIp"] = connections };

        foreach (var (name, value) in SingleCoreRates(key)) results[name] = value;

        await using var host = await MxSimHost.StartAsync([new ProviderOptions { Profile = "google", AcceptAll = true }]);
        var target = host["google"].Endpoint;
        foreach (var dkim in new[] { false, true })
        {
            var content = SampleIssue.Content(dkim ? key : null);
            await SendAllAsync(target, content, Math.Min(messages, 2_000), ips, connections, page); // warm up
            host.Journal.Clear();

            var cpu = BenchmarkArgs.CpuTime();
            var watch = Stopwatch.StartNew();
            var accepted = await SendAllAsync(target, content, messages, ips, connections, page);
            watch.Stop();
            cpu = BenchmarkArgs.CpuTime() - cpu;

            var label = dkim ? "dkimOn" : "dkimOff";
            var perSecond = messages / watch.Elapsed.TotalSeconds;
            Console.WriteLine($"DKIM {(dkim ? "on " : "off")}: {messages} messages ({SampleIssue.Size(content)} bytes each) from {ips} IPs x {connections} connections " +
                              $"in {watch.Elapsed.TotalSeconds:F1} s: {perSecond:F0} msg/s, {messages / cpu.TotalSeconds:F0} msg per CPU second " +
                              $"(composer, sender and sink); accepted {accepted}, journal {host.Journal.AcceptedCount}");
            results[$"{label}MessagesPerSecond"] = Math.Round(perSecond);
            results[$"{label}MessagesPerCpuSecond"] = Math.Round(messages / cpu.TotalSeconds);
            results[$"{label}Accepted"] = accepted;
        }
        return results;
    }

    /// <summary>One lane per source IP: compose a page, send it as one batch, repeat.</summary>
    static async Task<int> SendAllAsync(IPEndPoint target, MailContent content, int messages, int ips, int connections, int page)
    {
        await using var sender = new SmtpSender(new DeliveryOptions { HeloName = "bench.hikyaku.test", MaxMessagesPerConnection = 1_000 });
        var composer = new MessageComposer(content);
        var perIp = messages / ips;
        var counts = await Task.WhenAll(Enumerable.Range(0, ips).Select(lane => Task.Run(async () =>
        {
            var source = IPAddress.Parse($"127.0.0.{2 + lane}");
            var accepted = 0;
            var count = lane == ips - 1 ? messages - perIp * (ips - 1) : perIp;
            for (var start = 0; start < count; start += page)
            {
                var batch = Enumerable.Range(start, Math.Min(page, count - start))
                    .Select(i => composer.Compose($"r{lane}.{i}@gmail.com", $"tok{lane}.{i}"))
                    .ToList();
                var outcomes = await sender.SendAsync(new DeliveryBatch(source, "mx.google.com", target, batch, connections));
                accepted += outcomes.Count(o => o.Kind == DeliveryOutcomeKind.Accepted);
            }
            return accepted;
        })));
        return counts.Sum();
    }

    /// <summary>
    /// Messages composed per CPU second on one thread, unsigned and signed, and bare RSA-2048
    /// signatures: CPU time, not wall time, because the benchmark machine is shared.
    /// </summary>
    internal static IEnumerable<(string Name, object Value)> SingleCoreRates(DkimKey key)
    {
        var plain = Rate(new MessageComposer(SampleIssue.Content(null)));
        var signed = Rate(new MessageComposer(SampleIssue.Content(key)));
        var signatures = SampleIssue.RsaSignaturesPerSecond();
        Console.WriteLine($"single core, per CPU second: {plain:F0} messages composed unsigned, {signed:F0} signed (DKIM RSA-2048), {signatures:F0} bare RSA-2048 signatures");
        return [("composePerSecondSingleCore", Math.Round(plain)), ("composeSignedPerSecondSingleCore", Math.Round(signed)), ("rsaSignaturesPerSecondSingleCore", Math.Round(signatures))];
    }

    static double Rate(MessageComposer composer)
    {
        for (var i = 0; i < 200; i++) composer.Compose($"warm{i}@gmail.com", "t");
        return SampleIssue.PerCpuSecond(n => composer.Compose($"r{n}@gmail.com", "t"));
    }
}
