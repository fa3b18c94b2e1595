using System.Diagnostics;
using Hikyaku.Bounces;

namespace Hikyaku.Benchmarks.Bounces;

/// <summary>
/// Feeds random and mutated messages to the parser for a while (default 10 minutes, <c>--seconds N</c>,
/// <c>--seed N</c>). Fails when an exception escapes or one input takes 50 ms or more.
/// </summary>
public sealed class FuzzDsnScenario : IBenchmarkScenario
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(50);

    public string Name => "fuzz-dsn";

    public string Description => "random + mutated bounces; no exception may escape, slowest input < 50 ms (--seconds N, default 600; --seed N; --corpus DIR)";

    public Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        var seconds = BenchmarkArgs.Int(args, "--seconds", 600);
        var seed = BenchmarkArgs.Int(args, "--seed", Environment.TickCount & int.MaxValue);
        var inputs = new FuzzInputs(BenchmarkArgs.LoadCorpus(args), seed);
        BounceMessageParser.Parse(new MemoryStream()); // load rules and JIT before timing

        long count = 0, failures = 0;
        var slowest = TimeSpan.Zero;
        var slowestHow = string.Empty;
        string? firstFailure = null;
        var total = Stopwatch.StartNew();
        var one = new Stopwatch();
        while (total.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var (bytes, how) = inputs.Next();
            one.Restart();
            try
            {
                BounceMessageParser.Parse(new MemoryStream(bytes, writable: false));
            }
            catch (Exception e)
            {
                failures++;
                firstFailure ??= $"{how}: {e.GetType().Name}: {e.Message}";
            }

            one.Stop();
            count++;
            if (one.Elapsed > slowest)
            {
                (slowest, slowestHow) = (one.Elapsed, $"{how} ({bytes.Length:N0} bytes)");
            }
        }

        Console.WriteLine($"fuzz-dsn: seed {seed}, {count:N0} inputs in {total.Elapsed.TotalSeconds:F0} s, {failures} exceptions, slowest {slowest.TotalMilliseconds:F1} ms: {slowestHow}");
        if (firstFailure is not null)
        {
            Console.WriteLine($"first exception: {firstFailure}");
        }

        var ok = failures == 0 && slowest < Limit;
        Console.WriteLine(ok ? "fuzz-dsn: PASS" : $"fuzz-dsn: FAIL (exceptions must be 0 and the slowest input under {Limit.TotalMilliseconds} ms)");
        return Task.FromResult<IReadOnlyDictionary<string, object>>(new Dictionary<string, object>
        {
            ["seed"] = seed,
            ["inputs"] = count,
            ["seconds"] = total.Elapsed.TotalSeconds,
            ["exceptions"] = failures,
            ["slowestMs"] = Math.Round(slowest.TotalMilliseconds, 2),
            ["slowestInput"] = slowestHow,
            ["pass"] = ok,
        });
    }
}
