namespace Hikyaku.Benchmarks.Delivery;

/// <summary>
/// CPU time of other processes from <c>/proc/&lt;pid&gt;/stat</c>. The machine is shared, so beside the
/// wall-clock rates the benchmark reports messages per CPU second of the system under test, which
/// does not drop when other jobs take the cores.
/// </summary>
internal static class ProcCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User + system seconds of <paramref name="pid"/>; with <paramref name="reapedChildren"/>, plus those of its exited, reaped children.</summary>
    public static double Seconds(int pid, bool reapedChildren = false)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime = 14, stime = 15, cutime = 16, cstime = 17.
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            if (reapedChildren)
            {
                ticks += long.Parse(fields[13]) + long.Parse(fields[14]);
            }

            return ticks / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>
    /// CPU seconds of one Postfix instance: every live process started with <c>MAIL_CONFIG=<paramref name="configDirectory"/></c>
    /// (master exports it to its daemons), plus what master's exited daemons used (master's reaped children).
    /// </summary>
    public static double PostfixSeconds(string configDirectory)
    {
        var marker = "MAIL_CONFIG=" + configDirectory;
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(marker))
                {
                    continue;
                }

                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                total += Seconds(pid, reapedChildren: comm == "master");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return total;
    }

    /// <summary>
    /// CPU seconds of one PostgreSQL server: its postmaster (the <c>postgres</c> process whose command line names
    /// <paramref name="dataDirectory"/>), what its exited backends used (reaped), and its live children.
    /// </summary>
    public static double PostgresSeconds(string dataDirectory)
    {
        var processes = new List<(int Pid, int Parent, string CommandLine)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                processes.Add((pid, parent, File.ReadAllText(Path.Combine(dir, "cmdline"))));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
            }
        }

        var postmaster = processes.FirstOrDefault(p => p.CommandLine.Contains(dataDirectory, StringComparison.Ordinal) && p.CommandLine.Contains("postgres", StringComparison.Ordinal));
        if (postmaster.Pid == 0)
        {
            return 0;
        }

        return Seconds(postmaster.Pid, reapedChildren: true) + processes.Where(p => p.Parent == postmaster.Pid).Sum(p => Seconds(p.Pid));
    }

    /// <summary>The machine's busy and total CPU seconds so far, all cores (<c>/proc/stat</c>): idle and iowait are not busy.</summary>
    public static (double Busy, double Total) Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var total = fields.Sum();
            return ((total - fields[3] - fields[4]) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return (0, 0);
        }
    }
}
