using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Hikyaku.Benchmarks.Delivery;

/// <summary>
/// A private Postfix instance (Debian package, stock defaults apart from what a relay needs): its own
/// config, queue and data directories under /tmp, an smtpd on 127.0.0.1:<see cref="Port"/> accepting
/// from 127.0.0.0/8, and every message relayed to one numeric relayhost (no DNS). Needs root (master).
/// </summary>
internal sealed partial class PostfixRelay : IAsyncDisposable
{
    private readonly string _dir;
    private bool _stopped;

    private PostfixRelay(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string ConfigDirectory => Path.Combine(_dir, "conf");

    public string LogFile => Path.Combine(_dir, "maillog");

    /// <summary>Why Postfix cannot run here, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists("/usr/sbin/postfix"))
        {
            return "postfix is not installed (/usr/sbin/postfix missing): apt-get install -y postfix";
        }

        if (!File.Exists("/etc/postfix/master.cf") && !File.Exists("/usr/share/postfix/master.cf.dist"))
        {
            return "no master.cf template (/etc/postfix/master.cf or /usr/share/postfix/master.cf.dist)";
        }

        return Environment.UserName == "root" ? null : "Postfix's master must be started as root; this benchmark is not running as root";
    }

    /// <summary>Writes the configuration, starts the instance and waits until its smtpd listens.</summary>
    public static async Task<PostfixRelay> StartAsync(IPEndPoint relayHost, int destinationConcurrency = 20)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hikyaku-postfix-" + Guid.NewGuid().ToString("N")[..10]);
        var conf = Path.Combine(dir, "conf");
        var queue = Path.Combine(dir, "queue");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(conf);
        Directory.CreateDirectory(queue);
        Directory.CreateDirectory(data);
        var port = Hikyaku.Testing.TempPostgres.FreeLoopbackPort();

        var template = File.Exists("/etc/postfix/master.cf") ? "/etc/postfix/master.cf" : "/usr/share/postfix/master.cf.dist";
        await File.WriteAllTextAsync(Path.Combine(conf, "master.cf"), MasterCf(await File.ReadAllLinesAsync(template), port));
        await File.WriteAllTextAsync(Path.Combine(conf, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {queue}
            data_directory = {data}
            myhostname = bench-relay.localdomain
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mydestination =
            mynetworks = 127.0.0.0/8
            relayhost = [{relayHost.Address}]:{relayHost.Port}
            smtpd_relay_restrictions = permit_mynetworks, reject
            smtpd_recipient_restrictions = permit_mynetworks, reject
            smtp_dns_support_level = disabled
            default_destination_concurrency_limit = {destinationConcurrency}
            alias_maps =
            alias_database =
            local_recipient_maps =
            smtputf8_enable = no
            biff = no
            maillog_file = {Path.Combine(dir, "maillog")}
            maillog_file_prefixes = {Path.GetTempPath().TrimEnd('/')}

            """);
        await RunAsync("chown", "postfix", data);
        await RunAsync("/usr/sbin/postfix", "-c", conf, "check");
        await RunAsync("/usr/sbin/postfix", "-c", conf, "start");
        var relay = new PostfixRelay(dir, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return relay;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (SocketException)
            {
                await relay.DisposeAsync();
                throw new InvalidOperationException($"Postfix did not listen on 127.0.0.1:{port} within 30 s");
            }
        }
    }

    /// <summary>The stock master.cf with the public smtpd moved to 127.0.0.1:port and no chroot (no chroot tree in a temp queue).</summary>
    private static string MasterCf(string[] lines, int port)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith('#') || line.Length == 0 || char.IsWhiteSpace(line[0]) || fields.Length < 8)
            {
                text.AppendLine(line);
                continue;
            }

            if (fields[0] == "smtp" && fields[1] == "inet")
            {
                fields[0] = $"127.0.0.1:{port}";
            }

            if (fields[4] == "y")
            {
                fields[4] = "n";
            }

            text.AppendLine(string.Join("  ", fields));
        }

        return text.ToString();
    }

    /// <summary>How many messages sit in the queue (deferred ones included), from the queue directories.</summary>
    public int QueuedFiles()
    {
        var queue = Path.Combine(_dir, "queue");
        return new[] { "incoming", "active", "deferred", "maildrop" }
            .Select(d => Path.Combine(queue, d))
            .Where(Directory.Exists)
            .Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count());
    }

    /// <summary>The last lines of the instance's log that say something went wrong (deferred, bounced, warning, fatal).</summary>
    public string Problems(int max = 5)
    {
        if (!File.Exists(LogFile))
        {
            return "";
        }

        return string.Join("\n", File.ReadLines(LogFile).Where(l => ProblemLine().IsMatch(l)).TakeLast(max));
    }

    [GeneratedRegex("status=(deferred|bounced)|warning:|fatal:|panic:|error:")]
    private static partial Regex ProblemLine();

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        try
        {
            await RunAsync("/usr/sbin/postfix", "-c", ConfigDirectory, "stop");
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"postfix stop: {e.Message}");
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not run {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
