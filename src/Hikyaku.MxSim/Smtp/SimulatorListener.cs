using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Hikyaku.MxSim.Smtp;

/// <summary>
/// Hands SmtpServer one already-bound listener (so the provider knows its port before the server
/// starts, port 0 included) and accepts connections with TCP_NODELAY: without it every pipelined
/// reply waits for a delayed ACK and a connection crawls at about 11 messages/s
/// (NOTES-ORLEANS10.md, "the Nagle trap").
/// </summary>
internal sealed class SimulatorListenerFactory(TcpListener listener, Func<IPEndPoint, bool> dropAtConnect) : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition) => new Listener(listener, dropAtConnect);

    sealed class Listener(TcpListener listener, Func<IPEndPoint, bool> dropAtConnect) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                socket.NoDelay = true;
                var remote = (IPEndPoint)socket.RemoteEndPoint!;
                if (dropAtConnect(remote))
                {
                    socket.Close();
                    continue;
                }
                // The same keys SmtpServer's own listener fills, so code reading them works either way.
                context.Properties[EndpointListener.LocalEndPointKey] = socket.LocalEndPoint!;
                context.Properties[EndpointListener.RemoteEndPointKey] = remote;
                return new SimulatorPipe(socket);
            }
        }

        public void Dispose() => listener.Stop();
    }
}
