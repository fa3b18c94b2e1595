using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Hikyaku.MxSim.Smtp;

/// <summary>
/// One accepted connection as SmtpServer's duplex pipe. It owns the socket so that a provider can
/// drop the connection mid-session, and its output strips SmtpServer's retry suffix (see
/// <see cref="ReplyWriter"/>). The simulator offers no STARTTLS (no certificate is configured, so
/// SmtpServer does not advertise it).
/// </summary>
internal sealed class SimulatorPipe : ISecurableDuplexPipe
{
    readonly Socket _socket;
    readonly NetworkStream _stream;

    public SimulatorPipe(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(new TappedStream(_stream, ForwardPaths));
        Output = new ReplyWriter(PipeWriter.Create(_stream));
    }

    public PipeReader Input { get; }

    /// <summary>The RCPT forward-paths this session's client sent, as written.</summary>
    public ForwardPaths ForwardPaths { get; } = new();

    public PipeWriter Output { get; }

    public bool IsSecure => false;

    public SslProtocols SslProtocol => SslProtocols.None;

    public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The simulated providers do not offer STARTTLS.");

    /// <summary>Closes the connection at once, without a reply, as a provider that drops a session does.</summary>
    public void Drop()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The client may already be gone; the connection is closed either way.
        }
        _socket.Close();
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>The connection's stream, with every byte read also shown to <see cref="Smtp.ForwardPaths.Scan"/>.</summary>
internal sealed class TappedStream(Stream inner, ForwardPaths paths) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        paths.Scan(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        paths.Scan(buffer.AsSpan(offset, read));
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
