using System.Net;
using System.Text;
using Hikyaku.MxSim.Catalog;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;

namespace Hikyaku.MxSim.Smtp;

/// <summary>Session facts and reply writing shared by the mailbox filter and the message store.</summary>
internal static class SessionReplies
{
    /// <summary>The client's address, filled by <see cref="SimulatorListenerFactory"/>.</summary>
    public static IPAddress SourceIp(ISessionContext context) =>
        ((IPEndPoint)context.Properties[EndpointListener.RemoteEndPointKey]).Address;

    /// <summary>
    /// Writes all lines but the last as <c>code-text</c> continuation lines (RFC 5321 §4.2.1) and
    /// returns the last as the response SmtpServer writes after them: SmtpServer itself only writes
    /// single-line replies, and Gmail's are multi-line.
    /// </summary>
    public static SmtpResponse Prepare(ISessionContext context, RenderedReply reply)
    {
        var output = context.Pipe.Output;
        for (var i = 0; i < reply.Lines.Count - 1; i++)
        {
            var line = $"{reply.Code}-{reply.Lines[i]}\r\n";
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
            output.Advance(Encoding.UTF8.GetBytes(line, span));
        }
        return new SmtpResponse((SmtpReplyCode)reply.Code, reply.Lines[^1]);
    }

    /// <summary>Closes the connection without a reply and ends the session.</summary>
    public static Exception Drop(ISessionContext context)
    {
        ((SimulatorPipe)context.Pipe).Drop();
        return new ConnectionDroppedException();
    }
}

/// <summary>Ends a session whose connection a provider dropped on purpose.</summary>
internal sealed class ConnectionDroppedException() : IOException("The simulated provider dropped the connection.");
