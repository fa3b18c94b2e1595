using System.Diagnostics;
using System.Runtime;
using System.Text.Json;

namespace Hikyaku.Benchmarks.Bounces;

/// <summary>
/// Runs a per-core scenario under the workstation, non-concurrent collector. The benchmark program
/// uses server GC for the cluster scenarios; there, collections run on other threads (one per
/// core) and in the background, so a single-threaded loop's wall-clock rate borrows other cores and
/// its rate per CPU second carries their spinning. With workstation non-concurrent GC every
/// collection runs on the measuring thread and counts once. The GC mode is fixed at start-up, so
/// the scenario runs again in a child process with <c>DOTNET_gcServer=0 DOTNET_gcConcurrent=0</c>;
/// its output is passed through and its figures become this run's.
/// </summary>
internal static class WorkstationGc
{
    private const string ChildMarker = "HIKYAKU_BENCHMARK_CHILD";

    // Program.cs announces the results file with this line; the child's file is read and removed.
    private const string ResultsLine = "results written to ";

    /// <summary>True when this process already runs the workstation, non-concurrent collector.</summary>
    public static bool IsCurrent => !GCSettings.IsServerGC && GCSettings.LatencyMode == GCLatencyMode.Batch;

    /// <summary>A short description for the printed figures and the JSON.</summary>
    public static string Description =>
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}";

    /// <summary>True in the child, which measures whatever GC it got rather than start another child.</summary>
    public static bool IsChild => Environment.GetEnvironmentVariable(ChildMarker) is not null;

    public static async Task<IReadOnlyDictionary<string, object>> RunInChildAsync(string scenario, string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WorkstationGc).Assembly.Location); // started as "dotnet Hikyaku.Benchmarks.dll"
        }

        start.ArgumentList.Add(scenario);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "0";
        start.Environment[ChildMarker] = "1";
        Console.WriteLine($"{scenario}: measuring in a child process with DOTNET_gcServer=0 DOTNET_gcConcurrent=0");
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the benchmark child process");
        string? resultsFile = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultsLine, StringComparison.Ordinal))
            {
                resultsFile = line[ResultsLine.Length..];
                continue;
            }

            Console.WriteLine(line);
        }

        await child.WaitForExitAsync();
        if (child.ExitCode != 0 || resultsFile is null || !File.Exists(resultsFile))
        {
            return new Dictionary<string, object> { ["failed"] = $"child exited with {child.ExitCode}" };
        }

        var results = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await File.ReadAllTextAsync(resultsFile)) ?? [];
        File.Delete(resultsFile);
        return results.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
    }
}
