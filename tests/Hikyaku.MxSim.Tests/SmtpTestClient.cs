using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hikyaku.MxSim.Tests;

/// <summary>A real MailKit client bound to a source IP, as the delivery side connects (NOTES: the Nagle trap).</summary>
internal static class SmtpTestClient
{
    public static async Task<SmtpClient> ConnectAsync(IPEndPoint server, string sourceIp)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(sourceIp), 0));
        await socket.ConnectAsync(server);
        var client = new SmtpClient { Timeout = 10_000 };
        await client.ConnectAsync(socket, server.Address.ToString(), server.Port, SecureSocketOptions.None);
        return client;
    }

    public static MimeMessage Message(string to, string subject = "今週のお知らせ", string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("news@sender.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId ?? $"{Guid.NewGuid():N}@sender.example";
        message.Body = new TextPart("plain") { Text = "本文です。\n" };
        return message;
    }

    /// <summary>Sends one message over a fresh connection from <paramref name="sourceIp"/>.</summary>
    public static async Task SendAsync(IPEndPoint server, string sourceIp, MimeMessage message)
    {
        using var client = await ConnectAsync(server, sourceIp);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }
}
