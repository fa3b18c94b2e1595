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
        Input = PipeReader.Create(_stream);
        Output = new ReplyWriter(PipeWriter.Create(_stream));
    }

    public PipeReader Input { get; }

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
