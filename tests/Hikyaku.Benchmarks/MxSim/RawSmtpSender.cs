using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hikyaku.Benchmarks.MxSim;

/// <summary>
/// A minimal pipelining SMTP sender (RFC 2920: MAIL, RCPT and DATA in one write, then the content)
/// over a socket bound to a source IP with TCP_NODELAY. Raw rather than MailKit so the figure is the
/// sink's, not the client library's.
/// </summary>
internal sealed class RawSmtpSender : IAsyncDisposable
{
    readonly Socket _socket;
    readonly NetworkStream _stream;
    readonly StreamReader _replies;

    RawSmtpSender(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _replies = new StreamReader(_stream, Encoding.ASCII);
    }

    public static async Task<RawSmtpSender> ConnectAsync(IPEndPoint server, IPAddress source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(server);
        var sender = new RawSmtpSender(socket);
        await sender.ExpectAsync(220);
        await sender.WriteAsync("EHLO bench.sender.example\r\n"u8.ToArray());
        await sender.ExpectAsync(250);
        return sender;
    }

    /// <summary>Sends one message to one recipient; the content must end with CRLF and be dot-stuffed.</summary>
    public async Task SendAsync(string recipient, byte[] content)
    {
        await WriteAsync(Encoding.ASCII.GetBytes($"MAIL FROM:<bench@sender.example>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n"));
        await ExpectAsync(250);
        await ExpectAsync(250);
        await ExpectAsync(354);
        await _stream.WriteAsync(content);
        await WriteAsync(".\r\n"u8.ToArray());
        await ExpectAsync(250);
    }

    public async ValueTask DisposeAsync()
    {
        await WriteAsync("QUIT\r\n"u8.ToArray());
        await _replies.ReadLineAsync();
        _replies.Dispose();
        _socket.Dispose();
    }

    ValueTask WriteAsync(byte[] bytes) => _stream.WriteAsync(bytes);

    async Task ExpectAsync(int code)
    {
        while (true)
        {
            var line = await _replies.ReadLineAsync() ?? throw new IOException("The sink closed the connection.");
            if (line.Length < 4 || !line.StartsWith(code.ToString(), StringComparison.Ordinal))
                throw new IOException($"Expected {code}, got '{line}'.");
            if (line[3] == ' ') return;
        }
    }
}
