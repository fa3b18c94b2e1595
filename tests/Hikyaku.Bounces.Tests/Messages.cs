using System.Text;

namespace Hikyaku.Bounces.Tests;

/// <summary>Small hand-written messages for parser tests (the real ones are in the shared corpus).</summary>
internal static class Messages
{
    public static BounceReport Parse(string raw) =>
        BounceMessageParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"))));

    public const string Dsn = """
        From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
        To: sender@example.com
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B"

        --B
        Content-Type: text/plain

        <gone@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.1.1
            <gone@example.jp>: Recipient address rejected: User unknown (in reply to RCPT TO command)
        <full@example.jp>: host mx.example.jp[192.0.2.1] said: 452 4.2.2 Mailbox full
            (in reply to RCPT TO command)
        --B
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org

        Final-Recipient: rfc822; gone@example.jp
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <gone@example.jp>: Recipient address rejected:
            User unknown

        Final-Recipient: rfc822; full@example.jp
        Action: delayed
        Status: 4.2.2
        Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

        --B
        Content-Type: message/rfc822

        From: sender@example.com
        To: gone@example.jp
        Subject: hello

        hi
        --B--
        """;

    public const string Arf = """
        From: abuse@provider.example
        To: fbl@example.com
        Subject: FW: complaint
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="F"

        --F
        Content-Type: text/plain

        This is an email abuse report.
        --F
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: SomeGenerator/1.0
        Version: 1
        Original-Rcpt-To: <reader@provider.example>

        --F
        Content-Type: text/rfc822-headers

        From: news@example.com
        To: reader@provider.example
        Subject: Issue 42
        --F--
        """;

    public static string AutoReply(string header) => $"""
        From: reader@example.jp
        To: news@example.com
        Subject: Re: Issue 42
        {header}

        I am away until Monday.
        """;

    public const string EximBounce = """
        From: Mail Delivery System <Mailer-Daemon@mx.example.org>
        To: news@example.com
        Subject: Mail delivery failed: returning message to sender
        Auto-Submitted: auto-replied
        X-Failed-Recipients: gone@example.jp

        This message was created automatically by mail delivery software.

        A message that you sent could not be delivered to one or more of its
        recipients. This is a permanent error. The following address(es) failed:

          gone@example.jp
            SMTP error from remote mail server after RCPT TO:<gone@example.jp>:
            host mx.example.jp [192.0.2.1]: 550 5.1.1 No such user here

        ------ This is a copy of the message, including all the headers. ------

        To: gone@example.jp
        """;
}
