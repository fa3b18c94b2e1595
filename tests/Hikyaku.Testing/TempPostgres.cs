using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Hikyaku.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster on a temp folder and a free loopback port, started once per test
/// process and stopped when the process exits (by its exit handler, or by a watchdog when the process was killed).
/// PostgreSQL refuses to run as root, so under root the server runs as the <c>postgres</c> user through <c>runuser</c>.
/// </summary>
public sealed class TempPostgres : IAsyncDisposable
{
    /// <summary>Each cluster's folder under the temp path starts with this.</summary>
    public const string DirPrefix = "hikyaku-pg-";

    /// <summary>The file in a cluster's folder that names the process it belongs to.</summary>
    public const string OwnerFile = "owner.pid";

    private static readonly Lazy<Task<TempPostgres>> SharedInstance = new(() => StartAsync());
    private readonly string _binDir;
    private readonly bool _asPostgresUser;
    private readonly bool _fsync;
    private readonly string? _extraSettings;
    private int _databases;
    private int _disposed;

    private TempPostgres(string dataDir, int port, string binDir, bool asPostgresUser, bool fsync, string? extraSettings = null)
    {
        DataDir = dataDir;
        Port = port;
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
        _fsync = fsync;
        _extraSettings = extraSettings;
    }

    public string DataDir { get; }
    public int Port { get; }

    /// <summary>Connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>The process-wide server; started on first use.</summary>
    public static Task<TempPostgres> SharedAsync() => SharedInstance.Value;

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    /// <param name="ownerPid">
    /// The process whose end stops the server (default: this one). A watchdog outside it stops the server and removes
    /// its folder within a second or two of that process ending, however it ended: a test host torn down by its
    /// runner never gets to run its exit handler.
    /// </param>
    /// <param name="extraSettings">More server settings (<c>-c name=value ...</c>), e.g. a benchmark's statement statistics.</param>
    public static async Task<TempPostgres> StartAsync(bool fsync = true, int? ownerPid = null, string? extraSettings = null)
    {
        var owner = ownerPid ?? Environment.ProcessId;
        var binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin; install the postgresql package.");
        var asPostgres = Environment.UserName == "root";
        await SweepAbandonedAsync(binDir, asPostgres);
        var dataDir = Path.Combine(Path.GetTempPath(), DirPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(Path.Combine(dataDir, OwnerFile), owner.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", dataDir], null);
        }

        var port = FreeLoopbackPort();
        var server = new TempPostgres(dataDir, port, binDir, asPostgres, fsync, extraSettings);
        await server.RunPgAsync("initdb", ["-D", Path.Combine(dataDir, "db"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        await server.RunPgAsync("pg_ctl", server.StartArgs);
        server.StartWatchdog(owner);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    // A detached shell (its own session, reparented at once) polls the owner and stops the server once it is gone.
    // It runs as this user, which may look at the owner; pg_ctl runs as the server's user.
    private void StartWatchdog(int owner)
    {
        var stop = string.Join(' ', PgCommand("pg_ctl", StopArgs).Select(Quote));
        var script = $"while kill -0 {owner} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {Quote(DataDir)}";
        // Its standard streams go to /dev/null: holding this process's would keep a test runner waiting for their end.
        using var watchdog = Process.Start(new ProcessStartInfo("sh", ["-c", $"setsid -f sh -c {Quote(script)} </dev/null >/dev/null 2>&1"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start the watchdog of the test database");
        watchdog.WaitForExit();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Stops and removes the clusters whose test process is gone: one killed before its exit handler ran (a test host
    /// torn down by its runner, an interrupted benchmark) would otherwise keep its port, its memory and its background
    /// writers running under every later run on the machine.
    /// </summary>
    private static async Task SweepAbandonedAsync(string binDir, bool asPostgres)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DirPrefix + "*"))
        {
            var ownerFile = Path.Combine(dir, OwnerFile);
            string owner;
            try
            {
                owner = await File.ReadAllTextAsync(ownerFile);
            }
            catch (IOException)
            {
                continue; // not ours to judge: no owner recorded, or another process is sweeping it right now
            }

            if (int.TryParse(owner, System.Globalization.CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                await new TempPostgres(dir, 0, binDir, asPostgres, fsync: false).DisposeAsync(); // only ever stopped
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // pg_ctl's arguments for stopping this server at once; the watchdog stops it the same way.
    private string[] StopArgs => ["-D", Path.Combine(DataDir, "db"), "-m", "immediate", "-w", "stop"];

    // The same settings at every start, restarts included.
    private string[] StartArgs =>
    [
        "-D", Path.Combine(DataDir, "db"), "-l", Path.Combine(DataDir, "log.txt"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {DataDir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync={(_fsync ? "on" : "off")}{(_extraSettings is null ? "" : " " + _extraSettings)}",
        "start",
    ];

    /// <summary>Stops the server immediately (like a crash of the database host, but with a clean shutdown of files).</summary>
    public void Stop()
    {
        try
        {
            RunPgAsync("pg_ctl", StopArgs).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
    }

    /// <summary>Stops the server immediately and starts it again with the settings it was started with.</summary>
    public async Task RestartAsync()
    {
        Stop();
        await RunPgAsync("pg_ctl", StartArgs);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || !Directory.Exists(DataDir))
        {
            return ValueTask.CompletedTask;
        }

        Stop();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private Task RunPgAsync(string tool, string[] args)
    {
        var command = PgCommand(tool, args);
        return RunAsync(command[0], command[1..], DataDir);
    }

    private string[] PgCommand(string tool, string[] args)
    {
        var exe = Path.Combine(_binDir, tool);
        return _asPostgresUser ? ["runuser", "-u", "postgres", "--", exe, .. args] : [exe, .. args];
    }

    /// <summary>Runs a tool to its end; throws with its output when it fails.</summary>
    internal static async Task RunAsync(string file, string[] args, string? workDir)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static string? FindBinDir()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var dir = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
            if (dir is not null)
            {
                return dir;
            }
        }

        return null;
    }

    public static int FreeLoopbackPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
