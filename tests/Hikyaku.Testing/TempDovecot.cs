using System.Net.Sockets;

namespace Hikyaku.Testing;

/// <summary>
/// A throwaway Dovecot IMAP server (Debian's <c>dovecot-imapd</c>, which <c>.ci/run</c> installs) on a temp folder
/// and a free loopback port, with its own configuration and one passwd-file user whose mail is a Maildir under
/// the folder. Stopped and removed on dispose. Under root the mail belongs to the package's <c>dovecot</c> user;
/// otherwise Dovecot runs entirely as the current user.
/// </summary>
public sealed class TempDovecot : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/dovecot";

    /// <summary>Dovecot's POP3 server, from Debian's <c>dovecot-pop3d</c>.</summary>
    public const string Pop3Binary = "/usr/lib/dovecot/pop3";

    private TempDovecot(string dir, int port, int pop3Port, string user, string password)
    {
        Dir = dir;
        Port = port;
        Pop3Port = pop3Port;
        User = user;
        Password = password;
    }

    public string Dir { get; }

    /// <summary>The IMAP port.</summary>
    public int Port { get; }

    /// <summary>The POP3 port of the same mailbox, 0 unless started with POP3.</summary>
    public int Pop3Port { get; }

    public string User { get; }

    public string Password { get; }

    private string Config => Path.Combine(Dir, "dovecot.conf");

    /// <summary>Why the server cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        File.Exists(Binary) ? null : $"{Binary} is not installed (apt-get install dovecot-imapd; .ci/run does)";

    /// <summary>Why the POP3 server cannot run here, or null when it can.</summary>
    public static string? Pop3Unavailable =>
        Unavailable ?? (File.Exists(Pop3Binary) ? null : $"{Pop3Binary} is not installed (apt-get install dovecot-pop3d; .ci/run does)");

    /// <param name="pop3">Also serve the mailbox over POP3 (<see cref="Pop3Port"/>).</param>
    public static async Task<TempDovecot> StartAsync(string user = "bounces", bool pop3 = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hikyaku-imap-" + Guid.NewGuid().ToString("N")[..10]);
        var password = Guid.NewGuid().ToString("N");
        var port = TempPostgres.FreeLoopbackPort();
        var pop3Port = pop3 ? TempPostgres.FreeLoopbackPort() : 0;
        foreach (var sub in new[] { "run", "state", "home" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        var root = Environment.UserName == "root";
        var owner = root ? "dovecot" : Environment.UserName;
        if (root)
        {
            await TempPostgres.RunAsync("chown", ["-R", "dovecot:dovecot", Path.Combine(dir, "home")], null);
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "passwd"), $"{user}:{{PLAIN}}{password}::::::\n");
        var accounts = root ? string.Empty : $"default_internal_user = {owner}\ndefault_login_user = {owner}\n";
        var pop3Service = pop3
            ? $"service pop3-login {{\n  inet_listener pop3 {{\n    address = 127.0.0.1\n    port = {pop3Port}\n  }}\n  inet_listener pop3s {{\n    port = 0\n  }}\n}}"
            : string.Empty;
        await File.WriteAllTextAsync(Path.Combine(dir, "dovecot.conf"), $$"""
            base_dir = {{dir}}/run
            state_dir = {{dir}}/state
            log_path = {{dir}}/dovecot.log
            protocols = imap{{(pop3 ? " pop3" : "")}}
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            first_valid_uid = 1
            {{accounts}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{dir}}/passwd
            }
            userdb {
              driver = static
              args = uid={{owner}} gid={{owner}} home={{dir}}/home/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            {{pop3Service}}

            """);
        var server = new TempDovecot(dir, port, pop3Port, user, password);
        await TempPostgres.RunAsync(Binary, ["-c", server.Config], dir);
        await server.WaitListeningAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TempPostgres.RunAsync(Binary, ["-c", Config, "stop"], Dir);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitListeningAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"dovecot did not listen on 127.0.0.1:{Port}: {await File.ReadAllTextAsync(Path.Combine(Dir, "dovecot.log"))}");
    }
}
