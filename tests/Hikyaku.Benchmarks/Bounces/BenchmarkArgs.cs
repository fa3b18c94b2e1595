namespace Hikyaku.Benchmarks.Bounces;

/// <summary>Command-line options of the benchmark scenarios (<c>--name value</c>).</summary>
internal static class BenchmarkArgs
{
    /// <summary>A positive whole number, or <paramref name="fallback"/> when absent or not one.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        int.TryParse(String(args, name, string.Empty), System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string String(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>The corpus files (<c>--corpus DIR</c>, else ../shared/corpus/bounces) loaded into memory; empty, with a note, when absent.</summary>
    public static List<(string Name, byte[] Bytes)> LoadCorpus(string[] args)
    {
        var i = Array.IndexOf(args, "--corpus");
        var dir = i >= 0 && i + 1 < args.Length ? args[i + 1] : Hikyaku.Testing.SharedCorpus.BouncesDirectory;
        if (dir is null || !Directory.Exists(dir))
        {
            Console.WriteLine("../shared/corpus/bounces is absent beside the clone; nothing to measure.");
            return [];
        }

        return Directory.GetFiles(dir, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))
            .ToList();
    }

    /// <summary>
    /// CPU time this process has used. The benchmark machine is shared, so a rate per CPU second
    /// is reported beside the wall-clock rate: it does not drop when other jobs take the cores.
    /// </summary>
    public static TimeSpan CpuTime() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
}
