namespace Hikyaku.Bounces.Tests;

public sealed class BounceMessageParserTests
{
    [Fact]
    public void Rfc3464_report_lists_each_failed_recipient_with_its_own_status()
    {
        var report = Messages.Parse(Messages.Dsn);
        Assert.Equal(BounceKind.Bounce, report.Kind);
        var summary = report.Recipients.Select(r => (r.Recipient, r.Status, r.ReplyCode, r.Classification.Reason)).ToList();
        Assert.Equal(
            [("gone@example.jp", "5.1.1", 550, BounceReason.UserUnknown), ("full@example.jp", "4.2.2", 452, BounceReason.MailboxFull)],
            summary);
        Assert.True(report.Recipients[0].Classification.Hard);
    }

    [Fact]
    public void Exim_bounce_marked_auto_replied_is_still_a_bounce_not_a_vacation()
    {
        var report = Messages.Parse(Messages.EximBounce);
        var r = Assert.Single(report.Recipients);
        Assert.Equal((BounceKind.Bounce, "gone@example.jp", BounceReason.UserUnknown), (report.Kind, r.Recipient, r.Classification.Reason));
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied")]
    [InlineData("X-Autoreply: yes")]
    [InlineData("Precedence: auto_reply")]
    public void Rfc3834_auto_reply_is_told_apart_from_a_bounce(string header)
    {
        var report = Messages.Parse(Messages.AutoReply(header));
        var r = Assert.Single(report.Recipients);
        Assert.Equal((BounceKind.AutoReply, BounceReason.Vacation, ActionClass.NotABounce), (report.Kind, r.Classification.Reason, r.Classification.Action));
    }

    [Fact]
    public void Auto_submitted_no_is_an_ordinary_message_not_an_auto_reply() =>
        Assert.NotEqual(BounceKind.AutoReply, Messages.Parse(Messages.AutoReply("Auto-Submitted: no")).Kind);

    [Fact]
    public void Arf_feedback_report_is_a_complaint_naming_the_reader()
    {
        var report = Messages.Parse(Messages.Arf);
        var r = Assert.Single(report.Recipients);
        Assert.Equal((BounceKind.Feedback, "reader@provider.example", BounceReason.Feedback, ActionClass.NotABounce),
            (report.Kind, r.Recipient, r.Classification.Reason, r.Classification.Action));
    }

    [Fact]
    public void Empty_input_is_unknown_with_an_error_not_an_exception()
    {
        var report = BounceMessageParser.Parse(new MemoryStream());
        Assert.Equal(BounceKind.Unknown, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.NotNull(report.Error);
    }

    [Fact]
    public void Malformed_mime_with_a_missing_boundary_still_yields_the_failed_recipient()
    {
        var broken = Messages.Dsn.Replace("boundary=\"B\"", "boundary=\"NOPE\"", StringComparison.Ordinal);
        var report = Messages.Parse(broken);
        Assert.Contains(report.Recipients, r => r.Recipient == "gone@example.jp" && r.Classification.Reason == BounceReason.UserUnknown);
    }

    [Fact]
    public void Random_bytes_are_unknown_not_an_exception()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        var report = BounceMessageParser.Parse(new MemoryStream(bytes));
        Assert.Equal(BounceKind.Unknown, report.Kind);
    }

    [Fact]
    public void Success_dsn_is_a_delivery_report_not_a_bounce()
    {
        var delivered = Messages.Dsn.Replace("Action: failed\nStatus: 5.1.1", "Action: delivered\nStatus: 2.0.0", StringComparison.Ordinal)
            .Replace("Action: delayed\nStatus: 4.2.2", "Action: relayed\nStatus: 2.0.0", StringComparison.Ordinal);
        Assert.Equal(BounceKind.Delivered, Messages.Parse(delivered).Kind);
    }

    [Fact]
    public void Amazon_ses_bounce_notification_is_read_from_its_json()
    {
        const string json = """{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"gone@example.jp","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}""";
        var report = Messages.Parse($"From: no-reply@sns.amazonaws.com\nTo: ops@example.com\nSubject: AWS Notification Message\n\n{json}\n");
        var r = Assert.Single(report.Recipients);
        Assert.Equal(("gone@example.jp", BounceReason.UserUnknown), (r.Recipient, r.Classification.Reason));
    }

    [Fact]
    public void Microsoft_jmrp_report_is_a_complaint_by_the_original_recipient()
    {
        const string jmrp = """
            From: staff@hotmail.com
            To: fbl@example.com
            Subject: complaint about message from 192.0.2.9
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="J"

            --J
            Content-Type: message/rfc822

            X-HmXmrOriginalRecipient: reader@hotmail.com
            From: news@example.com
            To: reader@hotmail.com
            Subject: Issue 42

            hello
            --J--
            """;
        var r = Assert.Single(Messages.Parse(jmrp).Recipients);
        Assert.Equal(("reader@hotmail.com", BounceReason.Feedback, "microsoft.jmrp"), (r.Recipient, r.Classification.Reason, r.Classification.RuleId));
    }

    [Fact]
    public void Apple_mail_unsubscribe_is_an_opt_out_not_a_vacation_reply()
    {
        var report = Messages.Parse(Messages.AutoReply("Auto-Submitted: auto-replied\nX-Apple-Unsubscribe: true"));
        var r = Assert.Single(report.Recipients);
        Assert.Equal((BounceKind.Feedback, "reader@example.jp", "apple.unsubscribe"), (report.Kind, r.Recipient, r.Classification.RuleId));
    }

    // A plain-text bounce with one recipient and the given diagnostic lines.
    private static BounceRecipient PlainBounce(string diagnostic) => Assert.Single(Messages.Parse($"""
        From: MAILER-DAEMON@mx.example.org
        To: sender@example.com
        Subject: failure notice

        Sorry, we were unable to deliver your message to the following address.

        <reader@example.jp>:
        {diagnostic}

        --- Below this line is a copy of the message.
        """).Recipients);

    [Theory]
    [InlineData("Remote host said: 550 <reader@example.jp>... User Unknown\n[RCPT_TO]")]
    [InlineData("Sorry, no SMTP connection got far enough; most progress was RCPT TO response; remote host 192.0.2.1 said: 550 Unknown user reader@example.jp")]
    [InlineData("SMTP:RCPT host 192.0.2.1: 553 5.3.0 <reader@example.jp>... No such user here")]
    [InlineData("host mx.example.jp[192.0.2.1] said: 550 5.1.1 <reader@example.jp>: User unknown")]
    [InlineData("reader@example.jp... User unknown")]
    public void Unknown_user_is_a_dead_address_when_the_bounce_shows_the_mailbox_is_missing(string diagnostic)
    {
        var r = PlainBounce(diagnostic);
        Assert.Equal((BounceReason.UserUnknown, ActionClass.AddressDead), (r.Classification.Reason, r.Classification.Action));
    }

    [Theory]
    [InlineData("host mx.example.jp[192.0.2.1] said: 550 <reader@example.jp>: User unknown")]
    [InlineData("host mx.example.jp[192.0.2.1] said: 550 <reader@example.jp>: User unknown (in reply to end of DATA command)")]
    [InlineData("5.3.0 - Other mail system problem 550-'Unknown user reader@example.jp'")]
    public void Unknown_user_quoted_with_neither_rcpt_stage_nor_mailbox_status_is_soft(string diagnostic)
    {
        var r = PlainBounce(diagnostic);
        Assert.Equal((BounceReason.Filtered, false), (r.Classification.Reason, r.Classification.Hard));
        Assert.NotEqual(ActionClass.AddressDead, r.Classification.Action);
    }
}
