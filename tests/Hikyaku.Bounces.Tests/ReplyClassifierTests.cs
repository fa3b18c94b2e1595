namespace Hikyaku.Bounces.Tests;

/// <summary>Generic replies: RFC 3463 codes, MTA wording, stages, hard/soft and actions.</summary>
public sealed class ReplyClassifierTests
{
    private static Classification Classify(string reply, SmtpStage stage = SmtpStage.Rcpt) =>
        ReplyClassifier.Classify(SmtpReply.Parse(reply, stage));

    [Fact]
    public void Bad_destination_mailbox_5_1_1_is_a_dead_address()
    {
        var c = Classify("550 5.1.1 <x@example.jp>: Recipient address rejected: User unknown in local recipient table");
        Assert.Equal((BounceReason.UserUnknown, true, ActionClass.AddressDead, "5.1.1", 550), (c.Reason, c.Hard, c.Action, c.Status, c.ReplyCode));
    }

    [Fact]
    public void Temporary_unknown_user_never_kills_an_address()
    {
        var c = Classify("450 4.1.1 <x@example.jp>: Recipient address rejected: User unknown");
        Assert.Equal((BounceReason.UserUnknown, ActionClass.AddressSoft), (c.Reason, c.Action));
    }

    [Fact]
    public void Full_mailbox_is_soft_and_retried_later()
    {
        var c = Classify("552 5.2.2 Mailbox full");
        Assert.Equal((BounceReason.MailboxFull, false, ActionClass.AddressSoft), (c.Reason, c.Hard, c.Action));
    }

    [Fact]
    public void Only_unknown_user_host_moved_and_permanent_notaccept_are_hard()
    {
        var hard = Enum.GetValues<BounceReason>().Where(r => BounceReasons.IsHard(r, 5)).ToHashSet();
        Assert.Equal(new HashSet<BounceReason> { BounceReason.UserUnknown, BounceReason.HostUnknown, BounceReason.HasMoved, BounceReason.NotAccept }, hard);
        Assert.False(BounceReasons.IsHard(BounceReason.NotAccept, 4));
    }

    [Fact]
    public void Refusal_at_connect_blocks_the_sender_whatever_the_words()
    {
        var c = Classify("554 Invalid domain name", SmtpStage.Connect);
        Assert.Equal((BounceReason.Blocked, ActionClass.SenderBlocked), (c.Reason, c.Action));
    }

    [Fact]
    public void Refusal_at_mail_from_with_vague_words_is_a_rejected_sender()
    {
        var c = Classify("550 5.7.0 Nyaan", SmtpStage.Mail);
        Assert.Equal((BounceReason.Rejected, ActionClass.SenderBlocked), (c.Reason, c.Action));
    }

    [Fact]
    public void Generic_user_unknown_after_data_is_a_filter()
    {
        var c = Classify("550 <x@example.jp>: User unknown", SmtpStage.Data);
        Assert.Equal((BounceReason.Filtered, false), (c.Reason, c.Hard));
    }

    [Fact]
    public void Temporary_dns_failure_is_a_network_error_not_a_missing_host() =>
        Assert.Equal(BounceReason.NetworkError, Classify("451 4.4.0 Host or domain name not found. Name service error").Reason);

    [Fact]
    public void Connection_limit_is_rate_limiting() =>
        Assert.Equal(ActionClass.RateLimited, Classify("421 4.7.0 Too many concurrent SMTP connections from this IP", SmtpStage.Connect).Action);

    [Fact]
    public void Spf_failure_is_an_authentication_failure_of_the_sender() =>
        Assert.Equal((BounceReason.AuthFailure, ActionClass.SenderBlocked), (Classify("550 5.7.1 SPF check failed for example.com").Reason, Classify("550 5.7.1 SPF check failed").Action));

    [Fact]
    public void Success_reply_is_delivered_and_not_a_bounce()
    {
        var c = Classify("250 2.0.0 OK queued as 12345", SmtpStage.Data);
        Assert.Equal((BounceReason.Delivered, ActionClass.NotABounce), (c.Reason, c.Action));
    }

    [Fact]
    public void Unknown_wording_with_a_vague_code_stays_undefined_and_soft()
    {
        var c = Classify("554 5.0.0 Nyaan");
        Assert.Equal((BounceReason.Undefined, false, ActionClass.AddressSoft, null), (c.Reason, c.Hard, c.Action, c.RuleId));
    }

    [Fact]
    public void Taxonomy_names_are_the_exact_lower_case_names()
    {
        var names = Enum.GetValues<BounceReason>().Select(r => r.Name()).ToHashSet();
        Assert.Superset(new HashSet<string> { "userunknown", "notcompliantrfc", "mesgtoobig", "requireptr", "badreputation", "delivered" }, names);
        Assert.Equal(34, names.Count);
    }

    [Fact]
    public void Greylisting_is_retried_later_not_a_block()
    {
        var c = Classify("451 4.7.1 <x@example.jp>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/");
        Assert.Equal((BounceReason.OnHold, ActionClass.AddressSoft), (c.Reason, c.Action));
    }

    [Fact]
    public void Bare_try_again_later_deferral_slows_the_lane() =>
        Assert.Equal(ActionClass.RateLimited, Classify("421 4.7.0 Try again later, closing connection.", SmtpStage.Data).Action);

    [Fact]
    public void Bare_mailbox_unavailable_does_not_kill_the_address() =>
        Assert.NotEqual(ActionClass.AddressDead, Classify("550 Requested action not taken: mailbox unavailable").Action);
}
