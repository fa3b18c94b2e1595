using System.Diagnostics;
using Hikyaku.Bounces;

namespace Hikyaku.Benchmarks.Bounces;

/// <summary>Bounce messages parsed and classified per second on one thread, over the corpus held in memory (target ≥ 5,000/s).</summary>
public sealed class ClassifyDsnScenario : IBenchmarkScenario
{
    public string Name => "classify-dsn";

    public string Description => "corpus bounce messages parsed + classified per second, one thread (--seconds N, default 5; --corpus DIR)";

    public Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        if (!WorkstationGc.IsCurrent && !WorkstationGc.IsChild)
        {
            return WorkstationGc.RunInChildAsync(Name, args);
        }

        var seconds = BenchmarkArgs.Int(args, "--seconds", 5);
        var corpus = BenchmarkArgs.LoadCorpus(args);
        if (corpus.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, object>>(new Dictionary<string, object> { ["skipped"] = "corpus absent" });
        }

        // Warm up for a second: tiered JIT promotes hot methods after 30 calls and a delay, so the
        // loop below measures the steady state a long-running intake sees.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
        {
            foreach (var (_, bytes) in corpus)
            {
                BounceMessageParser.Parse(new MemoryStream(bytes, writable: false));
            }
        }

        var count = 0L;
        var recipients = 0L;
        var cpuBefore = BenchmarkArgs.CpuTime();
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        while (clock.Elapsed < until)
        {
            foreach (var (_, bytes) in corpus)
            {
                recipients += BounceMessageParser.Parse(new MemoryStream(bytes, writable: false)).Recipients.Count;
                count++;
            }
        }

        clock.Stop();
        var perSecond = count / clock.Elapsed.TotalSeconds;
        var perCpuSecond = count / (BenchmarkArgs.CpuTime() - cpuBefore).TotalSeconds;
        var mimeKitOnly = MimeKitBaseline(corpus, TimeSpan.FromSeconds(Math.Max(1, seconds / 2)));
        Console.WriteLine($"classify-dsn: {count:N0} messages ({corpus.Count} files, {corpus.Sum(c => c.Bytes.Length) / corpus.Count:N0} bytes average) on one thread in {clock.Elapsed.TotalSeconds:F1} s = {perSecond:N0}/s wall clock, {perCpuSecond:N0} per CPU second of the whole process ({WorkstationGc.Description}; target 5,000 per core); MimeKit parsing alone: {mimeKitOnly:N0} per CPU second");
        return Task.FromResult<IReadOnlyDictionary<string, object>>(new Dictionary<string, object>
        {
            ["messages"] = count,
            ["recipients"] = recipients,
            ["files"] = corpus.Count,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["messagesPerSecond"] = Math.Round(perSecond),
            ["messagesPerCpuSecond"] = Math.Round(perCpuSecond),
            ["mimeKitOnlyPerCpuSecond"] = Math.Round(mimeKitOnly),
            ["gc"] = WorkstationGc.Description,
            ["target"] = 5_000,
        });
    }

    // How fast MimeKit alone parses the same files: the floor under the classifier's own cost.
    private static double MimeKitBaseline(List<(string Name, byte[] Bytes)> corpus, TimeSpan duration)
    {
        var count = 0L;
        var cpuBefore = BenchmarkArgs.CpuTime();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            foreach (var (_, bytes) in corpus)
            {
                using var message = MimeKit.MimeMessage.Load(new MemoryStream(bytes, writable: false));
                count++;
            }
        }

        return count / (BenchmarkArgs.CpuTime() - cpuBefore).TotalSeconds;
    }
}
