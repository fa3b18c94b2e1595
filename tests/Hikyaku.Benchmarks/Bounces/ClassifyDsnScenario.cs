using System.Diagnostics;
using Hikyaku.Bounces;

namespace Hikyaku.Benchmarks.Bounces;

/// <summary>Bounce messages parsed and classified per second on one thread, over the corpus held in memory (target ≥ 5,000/s).</summary>
public sealed class ClassifyDsnScenario : IBenchmarkScenario
{
    public string Name => "classify-dsn";

    public string Description => "corpus bounce messages parsed + classified per second, one thread (--seconds N, default 5)";

    public Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var seconds = BenchmarkArgs.Int(args, "--seconds", 5);
        var corpus = BenchmarkArgs.LoadCorpus();
        if (corpus.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, object>>(new Dictionary<string, object> { ["skipped"] = "corpus absent" });
        }

        foreach (var (_, bytes) in corpus)
        {
            BounceMessageParser.Parse(new MemoryStream(bytes, writable: false)); // warm up
        }

        var count = 0L;
        var recipients = 0L;
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
        Console.WriteLine($"classify-dsn: {count:N0} messages ({corpus.Count} files, {corpus.Sum(c => c.Bytes.Length) / corpus.Count:N0} bytes average) in {clock.Elapsed.TotalSeconds:F1} s = {perSecond:N0}/s (target 5,000/s)");
        return Task.FromResult<IReadOnlyDictionary<string, object>>(new Dictionary<string, object>
        {
            ["messages"] = count,
            ["recipients"] = recipients,
            ["files"] = corpus.Count,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["messagesPerSecond"] = Math.Round(perSecond),
            ["target"] = 5_000,
        });
    }
}
