using System.Text;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Bounces;
using Hikyaku.Intake.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hikyaku.Intake.Tests;

/// <summary>The reader, its return path, and reports written as real MTAs write them.</summary>
public static class Reports
{
    public const string BounceDomain = "bounce.hikyaku.example";
    public static readonly ReturnPathToken Tokens = new("intake-test-secret");
    public static readonly ReturnPath Taro = new("acme", "news", "taro@example.jp", "b:0195f0a1b2c34d5e8f90123456789abc");

    public static string ReturnPathOf(ReturnPath path) => Tokens.Address(path, BounceDomain);

    public static BounceProcessor Processor(IBounceRecorder recorder, ILogger<BounceProcessor>? logger = null) =>
        new(Tokens, BounceDomain, recorder, logger ?? NullLogger<BounceProcessor>.Instance);

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

    /// <summary>Takes what the processor hands over; can be told to fail like an unreachable cluster.</summary>
    public sealed class RecordingRecorder : IBounceRecorder
    {
        private readonly HashSet<string> _seen = [];

        public List<(ReturnPath Path, BounceNotice Notice)> Recorded { get; } = [];

        public bool Fail { get; set; }

        public Task<BounceRecordResult> RecordAsync(ReturnPath path, BounceNotice notice, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new TimeoutException("the cluster did not answer");
            }

            if (!_seen.Add(notice.BounceId))
            {
                return Task.FromResult(new BounceRecordResult(BounceRecordOutcome.Duplicate, false, false));
            }

            Recorded.Add((path, notice));
            return Task.FromResult(new BounceRecordResult(BounceRecordOutcome.Recorded, notice.Action == "address-dead", notice.Kind == BounceKinds.Complaint));
        }
    }
}
