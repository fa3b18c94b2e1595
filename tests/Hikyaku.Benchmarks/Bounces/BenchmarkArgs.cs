namespace Hikyaku.Benchmarks.Bounces;

/// <summary>The few options the bounce scenarios take: <c>--seconds N</c> and <c>--seed N</c>.</summary>
internal static class BenchmarkArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v : fallback;
    }

    /// <summary>The corpus files loaded into memory, or empty (with a note printed) when ../shared is absent.</summary>
    public static List<(string Name, byte[] Bytes)> LoadCorpus()
    {
        var dir = Hikyaku.Testing.SharedCorpus.BouncesDirectory;
        if (dir is null)
        {
            Console.WriteLine("../shared/corpus/bounces is absent beside the clone; nothing to measure.");
            return [];
        }

        return Directory.GetFiles(dir, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))
            .ToList();
    }
}
