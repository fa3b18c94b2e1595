using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hikyaku.Bounces;
using Hikyaku.Smtp.Composition;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// One SMTP session from a sending IP to an MX endpoint, carrying several messages one after the
/// other. Not thread-safe: one worker uses it at a time; the pool hands it on between batches.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    static readonly FormatOptions Wire = new() { NewLineFormat = NewLineFormat.Dos };

    readonly SmtpClient _client;
    readonly TranscriptRecorder _log;
    readonly WireMessage _wire = new();
    bool _broken;

    SmtpConnection(SmtpClient client, TranscriptRecorder log)
    {
        _client = client;
        _log = log;
        LastUsed = Stopwatch.GetTimestamp();
    }

    /// <summary>Messages this session has carried (accepted or not).</summary>
    public int MessagesSent { get; private set; }

    /// <summary>When the session last did anything (a <see cref="Stopwatch"/> timestamp).</summary>
    public long LastUsed { get; private set; }

    /// <summary>Whether another message may be sent on this session.</summary>
    public bool IsUsable => !_broken && _client.IsConnected;

    /// <summary>
    /// Connects from <paramref name="source"/> to <paramref name="target"/> and greets; the result
    /// holds the connection, or the failure (a refused connect, or the server's refusing banner).
    /// </summary>
    public static async Task<(SmtpConnection? Connection, AttemptResult? Failure)> OpenAsync(
        IPAddress source, IPEndPoint target, string mxHost, DeliveryOptions options, CancellationToken cancellationToken, RelayLogin? relay = null)
    {
        var log = new TranscriptRecorder();
        // NOTES, "the Nagle trap": MailKit's own connect leaves Nagle on, and pipelined commands
        // then wait on delayed ACKs (~11 messages/s per connection). So the socket is made here,
        // with TCP_NODELAY, bound to the tenant's sending IP, and handed to MailKit.
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new SmtpClient(log) { LocalDomain = options.HeloName, Timeout = (int)options.CommandTimeout.TotalMilliseconds };
        var security = SecureSocketOptions.None;
        if (options.OpportunisticTls)
        {
            // RFC 7435: encrypt when offered, without authenticating the MX (MTA-STS/DANE would).
            security = SecureSocketOptions.StartTlsWhenAvailable;
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }
        if (relay is not null)
        {
            // A relay is the tenant's own contract: encrypt as configured and check its certificate (a self-signed one only
            // when its fingerprint is listed), since the password goes over this session.
            security = relay.UseTls ? (target.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls) : SecureSocketOptions.None;
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && options.TrustedRelayCertificates.Contains(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), StringComparer.OrdinalIgnoreCase));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            await client.ConnectAsync(socket, mxHost, target.Port, security, timeout.Token).ConfigureAwait(false);
            if (relay?.Username is { } user)
            {
                await client.AuthenticateAsync(user, relay.Password ?? string.Empty, timeout.Token).ConfigureAwait(false);
            }

            return (new SmtpConnection(client, log), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && AttemptResult.IsDeliveryFailure(e))
        {
            client.Dispose();
            socket.Dispose();
            var stage = log.Stage == SmtpStage.Unknown ? SmtpStage.Connect : log.Stage;
            var failure = e is OperationCanceledException
                ? AttemptResult.Local(stage, $"no greeting from {target} within {options.ConnectTimeout}", log.Take())
                : AttemptResult.From(e, stage, log.Take());
            return (null, failure);
        }
    }

    /// <summary>Sends one message; every reply and every lost session becomes the result.</summary>
    public async Task<AttemptResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        _wire.Set(message.Content);
        MessagesSent++;
        AttemptResult result;
        try
        {
            // Quoted like the composer's To header, so RCPT TO carries "taro..hanako"@docomo.ne.jp (RFC 5321 §4.1.2).
            var sender = Mailboxes.Create(message.EnvelopeFrom);
            var recipient = Mailboxes.Create(message.Recipient);
            var reply = await _client.SendAsync(Wire, _wire.Message, sender, [recipient], cancellationToken).ConfigureAwait(false);
            result = AttemptResult.Accepted(reply, _log.Take());
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && AttemptResult.IsDeliveryFailure(e))
        {
            result = AttemptResult.From(e, _log.Stage, _log.Take());
        }
        LastUsed = Stopwatch.GetTimestamp();
        if (result.EndsSession) _broken = true;
        return result;
    }

    /// <summary>
    /// Checks that a session that sat idle in the pool still answers (providers drop idle sessions),
    /// so a batch does not lose its first message to a connection closed long ago.
    /// </summary>
    public async Task<bool> StillOpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.NoOpAsync(cancellationToken).ConfigureAwait(false);
            _log.Take();
            LastUsed = Stopwatch.GetTimestamp();
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && AttemptResult.IsDeliveryFailure(e))
        {
            _broken = true;
            return false;
        }
    }

    /// <summary>Ends the session with QUIT when it is still open (RFC 5321 §4.1.1.10), then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsUsable)
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (AttemptResult.IsDeliveryFailure(e))
            {
                // The session is being dropped anyway; a QUIT that fails changes nothing.
            }
        }
        _client.Dispose();
    }
}
