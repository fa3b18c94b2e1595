using System.Text;

namespace Hikyaku.Testing;

/// <summary>
/// Reports that come back after a message was accepted, written as real MTAs and feedback loops write them:
/// an RFC 3464 DSN, an RFC 5965 ARF complaint, an RFC 3834 vacation notice.
/// </summary>
public static class LateReports
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n"));

    /// <summary>An RFC 3464 DSN for <paramref name="finalRecipient"/>, sent to <paramref name="to"/>, with the original's headers.</summary>
    public static string Dsn(string to, string finalRecipient, string status, string diagnostic, string originalHeaders, string messageId = "<dsn-1@mx.example.jp>", string action = "failed") => $"""
        Return-Path: <>
        From: Mail Delivery System <MAILER-DAEMON@mx.example.jp>
        To: {to}
        Subject: Undelivered Mail Returned to Sender
        Message-ID: {messageId}
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

        --BOUNDARY
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not be delivered.

        --BOUNDARY
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.jp

        Final-Recipient: rfc822; {finalRecipient}
        Action: {action}
        Status: {status}
        Diagnostic-Code: smtp; {diagnostic}

        --BOUNDARY
        Content-Type: text/rfc822-headers

        {originalHeaders}
        --BOUNDARY--
        """;

    public static string OriginalHeaders(string returnPath) => $"""
        Return-Path: <{returnPath}>
        From: news@acme.example
        To: taro@example.jp
        Subject: Spring sale
        Message-ID: <abc@acme.example>

        """;

    /// <summary>An RFC 5965 ARF abuse report carrying the whole original message.</summary>
    public static string Complaint(string to, string originalReturnPath) => $"""
        From: Feedback Loop <fbl@isp.example>
        To: {to}
        Subject: Abuse report
        Message-ID: <arf-1@isp.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

        --ARF
        Content-Type: text/plain

        This is an email abuse report for an email message received from IP 192.0.2.1.

        --ARF
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: SomeGenerator/1.0
        Version: 1
        Original-Rcpt-To: taro@example.jp

        --ARF
        Content-Type: message/rfc822

        Return-Path: <{originalReturnPath}>
        From: news@acme.example
        To: taro@example.jp
        Subject: Spring sale
        Message-ID: <abc@acme.example>

        Buy now.
        --ARF--
        """;

    /// <summary>A vacation notice (RFC 3834).</summary>
    public static string AutoReply(string to) => $"""
        From: taro@example.jp
        To: {to}
        Subject: Out of office: Spring sale
        Message-ID: <ooo-1@example.jp>
        Auto-Submitted: auto-replied
        Content-Type: text/plain

        I am away until Monday and will read your message when I am back.
        """;
}
