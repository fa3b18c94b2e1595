using System.Diagnostics;

namespace Hikyaku.Benchmarks.EventStore;

/// <summary>
/// CPU seconds used by this process plus, for PostgreSQL, the server's postmaster and its backends
/// (Linux /proc). On a shared machine, events per CPU-second say what the store costs whatever the
/// other jobs take; wall-clock rates alone do not.
/// </summary>
internal sealed class CpuMeter(string? postgresDataDir)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>CPU seconds so far: this process, and the PostgreSQL server (0 for SQLite, which runs in-process).</summary>
    public (double Client, double Server) Seconds()
    {
        var own = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var pidFile = postgresDataDir is null ? null : Path.Combine(postgresDataDir, "db", "postmaster.pid");
        if (pidFile is null || !File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster))
        {
            return (own, 0);
        }

        var server = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && (pid == postmaster || stat.ParentPid == postmaster))
            {
                server += stat.CpuTicks / TicksPerSecond;
            }
        }

        return (own, server);
    }

    private static (int ParentPid, long CpuTicks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");

            // Fields after "(comm)": state ppid ... utime(14th overall) stime(15th).
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]));
        }
        catch (IOException)
        {
            return null; // the process ended while we looked
        }
    }
}
