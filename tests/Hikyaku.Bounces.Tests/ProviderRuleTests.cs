namespace Hikyaku.Bounces.Tests;

/// <summary>Provider replies as their postmaster pages document them, and what Hikyaku must do about each.</summary>
public sealed class ProviderRuleTests
{
    private static Classification Classify(string reply, SmtpStage stage = SmtpStage.Rcpt) =>
        ReplyClassifier.Classify(SmtpReply.Parse(reply, stage));

    private static void AssertVerdict(Classification c, BounceReason reason, ActionClass action, string rule, string provider)
    {
        Assert.Equal((reason, action, rule, provider), (c.Reason, c.Action, c.RuleId, c.Provider));
        Assert.False(c.Hard);
    }

    [Theory]
    [InlineData("S3140", "microsoft.s3140")]
    [InlineData("S3150", "microsoft.s3150")]
    public void Microsoft_block_list_codes_block_the_sending_ip_not_the_reader(string code, string rule) =>
        AssertVerdict(Classify($"550 5.7.1 Unfortunately, messages from [192.0.2.9] weren't sent. Please contact your Internet service provider since part of their network is on our block list ({code})."),
            BounceReason.Blocked, ActionClass.SenderBlocked, rule, "microsoft");

    [Theory]
    [InlineData("550 5.7.606 Access denied, banned sending IP [192.0.2.9].")]
    [InlineData("550 5.7.627 Access denied, banned sending IP [192.0.2.9].")]
    [InlineData("550 5.7.649 Access denied, banned sending IP [192.0.2.9].")]
    public void Microsoft_banned_sending_ip_range_5_7_606_to_649_blocks_the_lane(string reply) =>
        AssertVerdict(Classify(reply), BounceReason.Blocked, ActionClass.SenderBlocked, "microsoft.banned-sending-ip", "microsoft");

    [Fact]
    public void Microsoft_4_7_650_reputation_rate_limit_slows_the_lane() =>
        AssertVerdict(Classify("451 4.7.650 The mail server [192.0.2.9] has been temporarily rate limited due to IP reputation."),
            BounceReason.BadReputation, ActionClass.RateLimited, "microsoft.ip-reputation-rate-limit", "microsoft");

    [Fact]
    public void Google_4_7_28_unsolicited_rate_blocks_the_lane() =>
        AssertVerdict(Classify("421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited."),
            BounceReason.BadReputation, ActionClass.RateLimited, "google.unusual-rate-ip-limit", "google");

    [Fact]
    public void Google_4_7_0_unusual_rate_is_a_rate_limit() =>
        AssertVerdict(Classify("421 4.7.0 Try again later, closing connection. Our system has detected an unusual rate of mail from your IP."),
            BounceReason.BadReputation, ActionClass.RateLimited, "google.unusual-rate", "google");

    [Fact]
    public void Google_5_7_1_likely_unsolicited_is_an_explicit_block() =>
        AssertVerdict(Classify("550-5.7.1 Our system has detected that this message is\n550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,\n550 5.7.1 this message has been blocked.", SmtpStage.Data),
            BounceReason.SpamDetected, ActionClass.SenderBlocked, "google.likely-unsolicited", "google");

    [Fact]
    public void Google_5_7_26_unauthenticated_mail_is_an_authentication_failure() =>
        AssertVerdict(Classify("550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked."),
            BounceReason.AuthFailure, ActionClass.SenderBlocked, "google.unauthenticated", "google");

    [Fact]
    public void Yahoo_TSS04_complaint_deferral_blocks_the_lane() =>
        AssertVerdict(Classify("421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to unexpected volume or user complaints"),
            BounceReason.BadReputation, ActionClass.SenderBlocked, "yahoo.tss04", "yahoo");

    [Fact]
    public void Yahoo_TSS09_permanent_deferral_is_a_block() =>
        AssertVerdict(Classify("553 5.7.2 [TSS09] All messages from 192.0.2.9 will be permanently deferred; Retrying will NOT succeed."),
            BounceReason.Blocked, ActionClass.SenderBlocked, "yahoo.tss09", "yahoo");

    [Fact]
    public void Yahoo_TS03_is_a_block() =>
        AssertVerdict(Classify("421 4.7.1 [TS03] All messages from 192.0.2.9 will be permanently deferred"),
            BounceReason.Blocked, ActionClass.SenderBlocked, "yahoo.ts03", "yahoo");

    [Fact]
    public void Yahoo_excessive_unknown_recipients_blames_the_sender_not_the_address() =>
        AssertVerdict(Classify("421 4.7.0 [GL01] Excessive unknown recipients - possible Open Relay"),
            BounceReason.BadReputation, ActionClass.SenderBlocked, "yahoo.excessive-unknown-recipients", "yahoo");

    [Fact]
    public void Apple_CS01_is_a_block() =>
        AssertVerdict(Classify("554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"),
            BounceReason.Blocked, ActionClass.SenderBlocked, "apple.cs01", "apple");

    [Fact]
    public void Apple_HM08_is_a_content_policy_rejection() =>
        AssertVerdict(Classify("554 5.7.1 [HM08] Message rejected due to local policy."),
            BounceReason.PolicyViolation, ActionClass.ContentRejected, "apple.hm08", "apple");

    [Fact]
    public void Proofpoint_block_used_by_iCloud_is_a_block() =>
        AssertVerdict(Classify("550 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.9", SmtpStage.Connect),
            BounceReason.Blocked, ActionClass.SenderBlocked, "apple.proofpoint", "apple");

    [Fact]
    public void Docomo_unknown_user_at_rcpt_is_a_real_unknown_address()
    {
        var c = Classify("550 Unknown user kijitora@docomo.ne.jp", SmtpStage.Rcpt);
        Assert.Equal((BounceReason.UserUnknown, true, ActionClass.AddressDead, "docomo.unknown-user-at-rcpt"), (c.Reason, c.Hard, c.Action, c.RuleId));
    }

    [Fact]
    public void Docomo_unknown_user_after_data_is_a_filter_not_an_unknown_address() =>
        AssertVerdict(Classify("550 Unknown user kijitora@docomo.ne.jp", SmtpStage.Data),
            BounceReason.Filtered, ActionClass.ContentRejected, "docomo.unknown-user-after-data", "jp-carriers");

    [Fact]
    public void Au_user_unknown_naming_the_address_is_a_real_unknown_address()
    {
        var c = Classify("550 <kijitora@ezweb.ne.jp>: User unknown");
        Assert.Equal((BounceReason.UserUnknown, true, "au.user-unknown"), (c.Reason, c.Hard, c.RuleId));
    }

    [Fact]
    public void Au_user_unknown_without_an_address_is_the_readers_filter() =>
        AssertVerdict(Classify("550 : User unknown"), BounceReason.Filtered, ActionClass.ContentRejected, "au.user-unknown-without-address", "jp-carriers");

    [Fact]
    public void SoftBank_invalid_recipient_is_an_unknown_address() =>
        Assert.Equal("softbank.invalid-recipient", Classify("550 Invalid recipient: <kijitora@softbank.ne.jp>").RuleId);

    [Fact]
    public void Spamhaus_listing_blocks_the_lane_whatever_the_status_code() =>
        AssertVerdict(Classify("553 5.1.3 http://www.spamhaus.org/query/bl?ip=192.0.2.9"),
            BounceReason.Blocked, ActionClass.SenderBlocked, "dnsbl.listed", "dnsbl");
}
