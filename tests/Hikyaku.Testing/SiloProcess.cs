using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Hikyaku.Testing;

/// <summary>
/// A real Hikyaku silo in its own process (<c>dotnet Hikyaku.Silo.dll</c>), configured through environment
/// variables exactly as an operator would, on free loopback ports. It can be killed with SIGKILL to test
/// crash recovery. Its console output is kept for diagnosis.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int httpPort, string dataDir)
    {
        _process = process;
        HttpPort = httpPort;
        DataDir = dataDir;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public string DataDir { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a silo and waits until <c>/health/ready</c> answers 200.</summary>
    /// <param name="dataDir">The data folder (kept between restarts when the caller passes the same one).</param>
    /// <param name="settings">More configuration, as <c>Section__Key</c> environment variables.</param>
    /// <remarks>
    /// The ports are found free just before the silo binds them; another process (any outgoing connection takes an
    /// ephemeral port) can take one in between. A silo that stops for that reason is started again on new ports.
    /// </remarks>
    public static async Task<SiloProcess> StartAsync(string dataDir, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(dataDir, settings, timeout);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                // a port was taken between finding it free and binding it: try again on other ports
            }
        }
    }

    private static async Task<SiloProcess> StartOnFreePortsAsync(string dataDir, IReadOnlyDictionary<string, string>? settings, TimeSpan? timeout)
    {
        var dll = SiloDll();
        var httpPort = TempPostgres.FreeLoopbackPort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        psi.Environment["Hikyaku__DataDir"] = dataDir;
        psi.Environment["Hikyaku__AdminKey"] = AdminKey;
        psi.Environment["Hikyaku__Cluster__SiloPort"] = TempPostgres.FreeLoopbackPort().ToString();
        psi.Environment["Hikyaku__Cluster__GatewayPort"] = TempPostgres.FreeLoopbackPort().ToString();
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, httpPort, dataDir);
        try
        {
            await silo.WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(120));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public HttpClient AdminClient() => Client(AdminKey);

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        Kill();
        throw new TimeoutException($"the silo was not ready within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (LogDirectory is { } dir)
            {
                File.AppendAllText(Path.Combine(dir, $"silo-{HttpPort}.log"), line + Environment.NewLine);
            }
        }
    }

    /// <summary>Where every silo's console output is also written as it comes (<c>HIKYAKU_TEST_SILO_LOGS</c>), for diagnosis.</summary>
    private static string? LogDirectory { get; } = Environment.GetEnvironmentVariable("HIKYAKU_TEST_SILO_LOGS") is { Length: > 0 } d && Directory.Exists(d) ? d : null;

    /// <summary>The silo built beside this test run (same configuration: Debug or Release).</summary>
    private static string SiloDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Silo.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Silo.sln not found above the test assembly");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(dir.FullName, "src", "Hikyaku.Silo", "bin", configuration, "net10.0", "Hikyaku.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the silo first (dotnet build Silo.sln)", dll);
    }
}
