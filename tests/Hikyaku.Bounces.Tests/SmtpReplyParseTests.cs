namespace Hikyaku.Bounces.Tests;

public sealed class SmtpReplyParseTests
{
    [Fact]
    public void One_line_reply_splits_into_code_enhanced_code_and_text()
    {
        var reply = SmtpReply.Parse("550 5.1.1 <x@example.jp>: user unknown", SmtpStage.Rcpt);
        Assert.Equal(new SmtpReply(550, "5.1.1", "<x@example.jp>: user unknown", SmtpStage.Rcpt), reply);
    }

    [Fact]
    public void Multi_line_reply_joins_its_lines_without_their_prefixes()
    {
        var reply = SmtpReply.Parse("550-5.7.1 Our system has detected\r\n550-5.7.1 that this message is\r\n550 5.7.1 likely unsolicited mail.");
        Assert.Equal(550, reply.Code);
        Assert.Equal("5.7.1", reply.EnhancedCode);
        Assert.Equal("Our system has detected that this message is likely unsolicited mail.", reply.Text);
    }

    [Fact]
    public void Relayed_reply_with_a_doubled_code_keeps_the_inner_enhanced_code()
    {
        var reply = SmtpReply.Parse("550 550 5.1.1 user unknown (state 14).");
        Assert.Equal((550, "5.1.1", "user unknown (state 14)."), (reply.Code, reply.EnhancedCode, reply.Text));
    }

    [Fact]
    public void Reply_without_enhanced_code_takes_its_class_from_the_reply_code()
    {
        var reply = SmtpReply.Parse("421 Service not available");
        Assert.Null(reply.EnhancedCode);
        Assert.Equal(4, reply.StatusClass);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \r\n ")]
    public void Empty_input_gives_an_empty_reply_not_an_exception(string? raw)
    {
        var reply = SmtpReply.Parse(raw);
        Assert.Equal((0, null, string.Empty), (reply.Code, reply.EnhancedCode, reply.Text));
        Assert.Equal(BounceReason.Undefined, ReplyClassifier.Classify(reply).Reason);
    }

    [Fact]
    public void Text_without_any_code_is_kept_as_text()
    {
        var reply = SmtpReply.Parse("Sorry, no mailbox here by that name.");
        Assert.Equal((0, "Sorry, no mailbox here by that name."), (reply.Code, reply.Text));
        Assert.Equal(BounceReason.UserUnknown, ReplyClassifier.Classify(reply).Reason);
    }
}
