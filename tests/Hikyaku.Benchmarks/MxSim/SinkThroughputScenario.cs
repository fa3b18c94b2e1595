using System.Diagnostics;
using System.Net;
using System.Text;
using Hikyaku.Benchmarks.Bounces;
using Hikyaku.MxSim;

namespace Hikyaku.Benchmarks.MxSim;

/// <summary>
/// How many messages a second one simulated provider accepts and journals over loopback, from N
/// pipelining connections on N source IPs (NOTES: the loopback ceiling was about 6,000 msg/s over
/// 8 connections with 5 KB messages).
/// </summary>
public sealed class SinkThroughputScenario : IBenchmarkScenario
{
    public string Name => "mxsim-sink";

    public string Description => "messages/s accepted by one simulated provider (--seconds N, default 5; --connections N, default 8; --kb N, default 5)";

    public async Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var seconds = BenchmarkArgs.Int(args, "--seconds", 5);
        var connections = BenchmarkArgs.Int(args, "--connections", 8);
        var body = Body(BenchmarkArgs.Int(args, "--kb", 5));

        await using var host = await MxSimHost.StartAsync([new ProviderOptions { Profile = "google", AcceptAll = true }]);
        var server = host["google"].Endpoint;
        await SendForAsync(server, 1, TimeSpan.FromSeconds(1), body); // warm up
        host.Journal.Clear();

        var cpu = BenchmarkArgs.CpuTime();
        var watch = Stopwatch.StartNew();
        var sent = await SendForAsync(server, connections, TimeSpan.FromSeconds(seconds), body);
        watch.Stop();
        cpu = BenchmarkArgs.CpuTime() - cpu;

        var recorded = host.Journal.AcceptedCount;
        var perSecond = sent / watch.Elapsed.TotalSeconds;
        var perCpuSecond = sent / cpu.TotalSeconds;
        Console.WriteLine($"{sent} messages over {connections} connections in {watch.Elapsed.TotalSeconds:F1} s: " +
                          $"{perSecond:F0} msg/s, {perCpuSecond:F0} msg per CPU second (client and sink together); journal holds {recorded}");
        if (recorded != sent) Console.WriteLine($"MISMATCH: sent {sent}, journal recorded {recorded}");
        return new Dictionary<string, object>
        {
            ["connections"] = connections,
            ["messages"] = sent,
            ["recorded"] = recorded,
            ["messagesPerSecond"] = Math.Round(perSecond),
            ["messagesPerCpuSecond"] = Math.Round(perCpuSecond),
        };
    }

    static async Task<long> SendForAsync(IPEndPoint server, int connections, TimeSpan duration, byte[] body)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var source = IPAddress.Parse($"127.0.0.{2 + c}");
            await using var sender = await RawSmtpSender.ConnectAsync(server, source);
            var n = 0L;
            while (Stopwatch.GetTimestamp() < until)
            {
                var headers = $"From: news@sender.example\r\nTo: r{n}@gmail.com\r\nSubject: bench {n}\r\nMessage-ID: <{c}.{n}@sender.example>\r\n\r\n";
                await sender.SendAsync($"r{n}@gmail.com", [.. Encoding.ASCII.GetBytes(headers), .. body]);
                n++;
            }
            return n;
        }));
        return counts.Sum();
    }

    static byte[] Body(int kilobytes)
    {
        var line = new string('x', 76) + "\r\n";
        var text = new StringBuilder();
        while (text.Length < kilobytes * 1024) text.Append(line);
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
