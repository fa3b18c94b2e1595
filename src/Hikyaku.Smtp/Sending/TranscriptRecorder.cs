using System.Text;
using Hikyaku.Bounces;
using MailKit;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// MailKit's protocol logger for one connection, kept in memory and cut per message: the lines
/// since the previous cut are the transcript of the next outcome (the first message of a session
/// also carries the banner and EHLO). The message content after 354 is left out, counted only.
/// It also knows which command is still waiting for its reply, so a lost session has a stage.
/// </summary>
internal sealed class TranscriptRecorder : IProtocolLogger
{
    readonly List<string> _lines = [];
    readonly StringBuilder _client = new();
    readonly StringBuilder _server = new();
    // Commands sent and not yet answered, oldest first (pipelined MAIL and RCPT, RFC 2920).
    readonly Queue<SmtpStage> _pending = new([SmtpStage.Connect]);
    bool _inData;
    long _dataBytes;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>The command whose reply has not come, or the last one answered; where a lost session was lost.</summary>
    public SmtpStage Stage { get; private set; } = SmtpStage.Connect;

    /// <summary>The lines recorded since the last call, which starts a new cut.</summary>
    public IReadOnlyList<string> Take()
    {
        var lines = _lines.ToArray();
        _lines.Clear();
        return lines;
    }

    public void LogConnect(Uri uri) => _lines.Add($"* connected to {uri.Host}:{uri.Port}");

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (_inData)
        {
            _dataBytes += count;
            return;
        }
        Split(_client, Redacted(buffer, offset, count), 0, count, ClientLine);
    }

    /// <summary>
    /// The client's bytes with every SMTP AUTH secret (user name, password, SASL response) MailKit points out replaced by
    /// asterisks: a relay's login never reaches a transcript, a mail log or a delist kit.
    /// </summary>
    byte[] Redacted(byte[] buffer, int offset, int count)
    {
        var copy = new byte[count];
        Buffer.BlockCopy(buffer, offset, copy, 0, count);
        if (AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count) is { Count: > 0 } secrets)
        {
            foreach (var secret in secrets)
            {
                var start = Math.Max(0, secret.StartIndex - offset);
                var end = Math.Min(count, secret.StartIndex - offset + secret.Length);
                copy.AsSpan(start, Math.Max(0, end - start)).Fill((byte)'*');
            }
        }

        return copy;
    }

    public void LogServer(byte[] buffer, int offset, int count) => Split(_server, buffer, offset, count, ServerLine);

    public void Dispose()
    {
        // Nothing held but memory.
    }

    void ClientLine(string line)
    {
        _lines.Add("C: " + line);
        var stage = CommandStage(line);
        _pending.Enqueue(stage);
        Stage = _pending.Peek();
    }

    void ServerLine(string line)
    {
        if (_inData)
        {
            // The server answers only after the final dot, so the content is complete here.
            _inData = false;
            _lines.Add($"C: <message content, {_dataBytes} bytes>");
        }
        _lines.Add("S: " + line);
        // "250-..." continues a multi-line reply; "250 ..." ends it (RFC 5321 §4.2.1).
        if (line.Length > 3 && line[3] == '-') return;
        var answered = _pending.Count > 0 ? _pending.Dequeue() : Stage;
        if (answered == SmtpStage.Data && line.StartsWith("354", StringComparison.Ordinal))
        {
            // The content follows; its reply comes after the final dot.
            _inData = true;
            _dataBytes = 0;
            _pending.Enqueue(SmtpStage.Data);
        }
        Stage = _pending.Count > 0 ? _pending.Peek() : answered;
    }

    static SmtpStage CommandStage(string line)
    {
        var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
        return verb switch
        {
            "EHLO" or "HELO" => SmtpStage.Helo,
            "MAIL" => SmtpStage.Mail,
            "RCPT" => SmtpStage.Rcpt,
            "DATA" or "BDAT" => SmtpStage.Data,
            _ => SmtpStage.Unknown, // RSET, NOOP, QUIT, STARTTLS: session housekeeping
        };
    }

    static void Split(StringBuilder partial, byte[] buffer, int offset, int count, Action<string> line)
    {
        var text = Encoding.UTF8.GetString(buffer, offset, count);
        var start = 0;
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', start))
        {
            partial.Append(text, start, i - start);
            line(partial.ToString().TrimEnd('\r'));
            partial.Clear();
            start = i + 1;
        }
        partial.Append(text, start, text.Length - start);
    }
}
