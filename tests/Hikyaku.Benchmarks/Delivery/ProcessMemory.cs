namespace Hikyaku.Benchmarks.Delivery;

/// <summary>
/// Resident memory of another process from <c>/proc</c>. <see cref="Hikyaku.Testing.SiloProcess"/> does not expose
/// its process, so the silo is found by its command line (<c>Hikyaku.Silo.dll</c>) and its environment
/// (<c>ASPNETCORE_URLS</c> with its HTTP port).
/// </summary>
internal sealed class ProcessMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _maxRssKb;

    private ProcessMemory(int pid)
    {
        Pid = pid;
        _sampler = Task.Run(SampleAsync);
    }

    public int Pid { get; }

    /// <summary>The kernel's high-water mark of resident memory (VmHWM), in bytes; covers the whole life of the process.</summary>
    public long PeakBytes => Math.Max(ReadKb("VmHWM:"), Interlocked.Read(ref _maxRssKb)) * 1024;

    /// <summary>The largest VmRSS seen by sampling every 200 ms since this watcher started, in bytes.</summary>
    public long SampledMaxBytes => Interlocked.Read(ref _maxRssKb) * 1024;

    public long CurrentBytes => ReadKb("VmRSS:") * 1024;

    /// <summary>Finds the silo listening on <paramref name="httpPort"/> and starts sampling its VmRSS.</summary>
    public static ProcessMemory? FindSilo(int httpPort)
    {
        var url = $"ASPNETCORE_URLS=http://127.0.0.1:{httpPort}";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!cmdline.Contains("Hikyaku.Silo.dll", StringComparison.Ordinal))
                {
                    continue;
                }

                var environ = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (environ.Contains(url))
                {
                    return new ProcessMemory(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    private long ReadKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var rss = ReadKb("VmRSS:");
            if (rss > Interlocked.Read(ref _maxRssKb))
            {
                Interlocked.Exchange(ref _maxRssKb, rss);
            }

            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _sampler;
        _stop.Dispose();
    }
}
