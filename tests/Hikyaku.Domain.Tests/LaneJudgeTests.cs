using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Sites;

namespace Hikyaku.Domain.Tests;

/// <summary>
/// The block detector of a site: providers' explicit refusals block a lane at once; a run of unknown-user replies far above
/// what the site's other lanes and its history show blocks it in disguise; a list with dead addresses does not.
/// </summary>
public sealed class LaneJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static readonly ReplyRecord Accepted = new(250, "2.0.0", "OK queued", ReplyStage.Data, true);

    private static readonly ReplyRecord Unknown = new(550, "5.5.0", "Requested action not taken: mailbox unavailable. [BN8NAM12FT049.eop-nam12.prod.protection.outlook.com]", ReplyStage.Rcpt, true);

    private static readonly ReplyRecord MicrosoftBlock = new(550, "5.7.1",
        "Unfortunately, messages from [127.0.0.2] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
        ReplyStage.Rcpt, true);

    private static readonly ReplyRecord CarrierAfterData = new(550, "5.1.1", "<x@docomo.ne.jp>: Recipient address rejected: User unknown", ReplyStage.Data, true);

    private static readonly ReplyRecord ConnectionLost = new(0, null, "connection reset by peer", ReplyStage.Rcpt, false);

    [Fact]
    public void Reply_shapes_used_here_classify_as_the_provider_means_them()
    {
        Assert.Equal(ReplyAction.Accepted, ReplyRecords.Classified(Accepted).Action);
        Assert.True(ReplyRecords.IsUnknownUser(ReplyRecords.Classified(Unknown)));
        Assert.Equal(ReplyAction.SenderBlocked, ReplyRecords.Classified(MicrosoftBlock).Action);
        Assert.Equal(ReplyAction.Local, ReplyRecords.Classified(ConnectionLost).Action);
    }

    [Fact]
    public void One_explicit_block_reply_blocks_the_lane_and_holds_that_reader()
    {
        var site = new SiteDetector("microsoft");
        Feed(site, "127.0.0.2", 30, _ => Accepted);
        var a = site.Assess("127.0.0.2", LaneStates.Open, [Reply(100, "a@hotmail.com", Accepted), Reply(101, "b@hotmail.com", MicrosoftBlock)]);
        Assert.NotNull(a.Block);
        Assert.Equal("explicit", a.Block!.Kind);
        Assert.Equal([VerdictKind.Delivered, VerdictKind.Hold], a.Verdicts.Select(v => v.Kind));
        Assert.Equal("b@hotmail.com", Assert.Single(a.Block.Evidence).Recipient);
    }

    [Fact]
    public void A_lane_that_starts_answering_every_reader_unknown_is_blocked_within_a_few_replies_and_those_readers_are_held()
    {
        var site = new SiteDetector("microsoft");
        var random = new Random(7);
        // Three lanes with 5% dead addresses for a while: the site's history.
        foreach (var ip in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
        {
            Feed(site, ip, 200, _ => random.NextDouble() < 0.05 ? Unknown : Accepted);
        }

        var offered = 0;
        LaneAssessment? blocked = null;
        var verdicts = new List<VerdictKind>();
        while (blocked is null && offered < 100)
        {
            var a = site.Assess("127.0.0.3", LaneStates.Open, [Reply(1000 + offered, $"r{offered}@hotmail.com", Unknown)]);
            offered++;
            verdicts.Add(a.Verdicts[0].Kind);
            blocked = a.Block is null ? null : a;
        }

        Assert.NotNull(blocked);
        Assert.Equal("disguised", blocked!.Block!.Kind);
        Assert.True(offered <= 8, $"{offered} unknown-user replies before the block");
        // Nobody on the run is stopped once the lane is suspect: the first may be (a lone unknown is ordinary), the rest are checked elsewhere.
        Assert.All(verdicts.Skip(1), v => Assert.NotEqual(VerdictKind.Dead, v));
        Assert.True(blocked.Block.Figures.PValue < site.Rule.BlockP);
    }

    [Fact]
    public void Lanes_of_a_list_with_ten_percent_dead_addresses_are_never_blocked_over_thousands_of_replies()
    {
        var blocks = 0;
        var dead = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var site = new SiteDetector("google");
            var random = new Random(seed);
            for (var batch = 0; batch < 100; batch++)
            {
                foreach (var ip in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
                {
                    var replies = Enumerable.Range(0, 10).Select(i => Reply(batch * 10 + i, $"r{seed}-{batch}-{i}@gmail.com", random.NextDouble() < 0.10 ? Unknown : Accepted)).ToList();
                    var a = site.Assess(ip, LaneStates.Open, replies);
                    blocks += a.Block is null ? 0 : 1;
                    dead += a.Verdicts.Count(v => v.Kind == VerdictKind.Dead);
                }
            }
        }

        // 60,000 replies at 10% unknown: no lane is blocked, and the dead addresses are still stopped (some are first
        // checked from another lane when a few come in a row).
        Assert.Equal(0, blocks);
        Assert.True(dead > 0.9 * 6_000, $"only {dead} of about 6,000 dead addresses stopped at once");
    }

    [Fact]
    public void A_list_with_half_its_addresses_dead_at_one_provider_shows_on_every_lane_and_blocks_none()
    {
        var blocks = 0;
        for (var seed = 0; seed < 50; seed++)
        {
            var site = new SiteDetector("yahoo");
            var random = new Random(seed);
            for (var batch = 0; batch < 20; batch++)
            {
                foreach (var ip in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
                {
                    var replies = Enumerable.Range(0, 5).Select(i => Reply(batch * 5 + i, $"r{batch}-{i}@yahoo.com", random.NextDouble() < 0.5 ? Unknown : Accepted)).ToList();
                    blocks += site.Assess(ip, LaneStates.Open, replies).Block is null ? 0 : 1;
                }
            }
        }

        // 50 such lists, 15,000 replies on 150 lanes: the other lanes show the same share, so none of them looks blocked.
        Assert.Equal(0, blocks);
    }

    [Fact]
    public void An_unknown_user_reply_for_an_address_that_took_mail_before_blocks_the_lane_at_once()
    {
        var site = new SiteDetector("apple");
        Feed(site, "127.0.0.2", 50, _ => Accepted);
        var a = site.Assess("127.0.0.2", LaneStates.Open, [Reply(100, "known@icloud.com", Unknown, deliveredBefore: true)]);
        Assert.Equal("disguised", a.Block?.Kind);
        Assert.Equal(VerdictKind.Hold, a.Verdicts[0].Kind);
    }

    [Fact]
    public void A_reader_unknown_on_one_lane_and_accepted_on_another_is_a_disguised_block_of_the_first()
    {
        var site = new SiteDetector("microsoft");
        Feed(site, "127.0.0.3", 50, _ => Accepted);
        var a = site.Assess("127.0.0.3", LaneStates.Open, [Reply(100, "moved@hotmail.com", Accepted, recheckOf: "127.0.0.2")]);
        Assert.Null(a.Block);
        var (ip, block) = Assert.Single(a.Confirmed);
        Assert.Equal(("127.0.0.2", "disguised"), (ip, block.Kind));
        Assert.Contains("accepted from 127.0.0.3", block.Figures.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Readers_checked_from_a_clean_lane_that_are_unknown_there_too_are_dead_and_do_not_count_against_that_lane()
    {
        var site = new SiteDetector("microsoft");
        Feed(site, "127.0.0.3", 50, _ => Accepted);
        var rechecks = Enumerable.Range(0, 12).Select(i => Reply(100 + i, $"dead{i}@hotmail.com", Unknown, recheckOf: "127.0.0.2")).ToList();
        var a = site.Assess("127.0.0.3", LaneStates.Open, rechecks);
        Assert.Null(a.Block);
        Assert.All(a.Verdicts, v => Assert.Equal(VerdictKind.Dead, v.Kind));
        Assert.Empty(a.Confirmed);
    }

    private static readonly ReplyRecord DocomoFilter = new(550, null, "Unknown user k@docomo.ne.jp", ReplyStage.Data, true);

    [Fact]
    public void A_carriers_filter_refusal_after_data_is_never_a_dead_address_and_is_checked_once_from_another_ip()
    {
        var site = new SiteDetector("docomo");
        Feed(site, "127.0.0.2", 40, _ => Accepted);
        Assert.Equal(BlockRule.FilteredReason, ReplyRecords.Classified(DocomoFilter).Reason);

        var first = site.Assess("127.0.0.2", LaneStates.Open, [Reply(100, "k@docomo.ne.jp", DocomoFilter), Reply(101, "m@docomo.ne.jp", CarrierAfterData)]);
        Assert.Null(first.Block);
        Assert.All(first.Verdicts, v => Assert.Equal((VerdictKind.Retry, true), (v.Kind, v.Suspect)));

        // Refused again from the other IP: the reader's own filter. Final for this message, and not an error stop.
        var recheck = site.Assess("127.0.0.3", LaneStates.Open, [Reply(102, "k@docomo.ne.jp", DocomoFilter, recheckOf: "127.0.0.2")]);
        Assert.Equal((VerdictKind.Bounced, BlockRule.FilteredReason), (recheck.Verdicts[0].Kind, recheck.Verdicts[0].Reason));
        Assert.Empty(recheck.Confirmed);
        // With no other IP it came back to the same lane: final there too.
        var back = site.Assess("127.0.0.2", LaneStates.Open, [Reply(103, "m@docomo.ne.jp", CarrierAfterData, recheckOf: "127.0.0.2")]);
        Assert.Equal((VerdictKind.Bounced, BlockRule.FilteredReason), (back.Verdicts[0].Kind, back.Verdicts[0].Reason));
    }

    [Fact]
    public void A_carrier_refusing_one_ip_after_data_is_a_disguised_block_found_within_a_few_messages()
    {
        var site = new SiteDetector("docomo");
        foreach (var ip in new[] { "127.0.0.2", "127.0.0.3" })
        {
            Feed(site, ip, 100, k => k % 20 == 0 ? DocomoFilter : Accepted);
        }

        var offered = 0;
        LaneAssessment? blocked = null;
        var verdicts = new List<JudgedVerdict>();
        while (blocked is null && offered < 50)
        {
            var a = site.Assess("127.0.0.3", LaneStates.Open, [Reply(1000 + offered, $"d{offered}@docomo.ne.jp", DocomoFilter)]);
            offered++;
            verdicts.Add(a.Verdicts[0]);
            blocked = a.Block is null ? null : a;
        }

        Assert.NotNull(blocked);
        Assert.Equal("disguised", blocked!.Block!.Kind);
        Assert.True(offered <= 8, $"{offered} filter refusals before the block");
        Assert.Contains("filter refusals after DATA", blocked.Block.Figures.Rule, StringComparison.Ordinal);
        // Nobody on the run lost the message: each is checked from another IP or held.
        Assert.All(verdicts, v => Assert.Contains(v.Kind, new[] { VerdictKind.Retry, VerdictKind.Hold }));
    }

    [Fact]
    public void Carrier_lanes_with_ordinary_filter_refusals_are_never_blocked_and_nobody_is_stopped()
    {
        var blocks = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var site = new SiteDetector("docomo");
            var random = new Random(seed);
            for (var batch = 0; batch < 100; batch++)
            {
                foreach (var ip in new[] { "127.0.0.2", "127.0.0.3" })
                {
                    var replies = Enumerable.Range(0, 10).Select(i => Reply(batch * 10 + i, $"c{seed}-{batch}-{i}@docomo.ne.jp", random.NextDouble() < 0.08 ? DocomoFilter : Accepted)).ToList();
                    var a = site.Assess(ip, LaneStates.Open, replies);
                    blocks += a.Block is null ? 0 : 1;
                    Assert.DoesNotContain(a.Verdicts, v => v.Kind == VerdictKind.Dead);
                }
            }
        }

        Assert.Equal(0, blocks);
    }

    [Fact]
    public void Our_own_failures_are_not_evidence()
    {
        var site = new SiteDetector("google");
        var replies = Enumerable.Range(0, 40).Select(i => Reply(i, $"g{i}@gmail.com", ConnectionLost)).ToList();
        var a = site.Assess("127.0.0.2", LaneStates.Open, replies);
        Assert.Null(a.Block);
        Assert.All(a.Verdicts, v => Assert.Equal(VerdictKind.Retry, v.Kind));
    }

    [Fact]
    public void A_blocked_lane_holds_every_refused_reader_and_delivers_the_accepted_ones()
    {
        var site = new SiteDetector("microsoft");
        var a = site.Assess("127.0.0.2", LaneStates.Blocked, [Reply(0, "a@hotmail.com", Unknown), Reply(1, "b@hotmail.com", MicrosoftBlock), Reply(2, "c@hotmail.com", Accepted)]);
        Assert.Equal([VerdictKind.Hold, VerdictKind.Hold, VerdictKind.Delivered], a.Verdicts.Select(v => v.Kind));
    }

    [Theory]
    [InlineData(20, 20, 0.03, 3.5e-31)]
    [InlineData(20, 0, 0.5, 1)]
    [InlineData(10, 5, 0.5, 0.623046875)]
    public void The_binomial_tail_is_the_chance_of_at_least_k_of_n(int n, int k, double p, double expected) =>
        Assert.Equal(expected, LaneJudge.BinomialTail(n, k, p), expected * 1e-2);

    [Fact]
    public void A_failed_probe_doubles_the_cooldown_up_to_seven_days()
    {
        var rule = new BlockRule();
        Assert.Equal(TimeSpan.FromHours(24), rule.CooldownAfter(TimeSpan.FromHours(24), 0));
        Assert.Equal(TimeSpan.FromHours(48), rule.CooldownAfter(TimeSpan.FromHours(24), 1));
        Assert.Equal(TimeSpan.FromDays(7), rule.CooldownAfter(TimeSpan.FromHours(24), 5));
    }

    private static void Feed(SiteDetector site, string ip, int count, Func<int, ReplyRecord> reply)
    {
        for (var i = 0; i < count; i += 10)
        {
            site.Assess(ip, LaneStates.Open, Enumerable.Range(i, Math.Min(10, count - i)).Select(k => Reply(k, $"{ip}-{k}@example.com", reply(k))).ToList());
        }
    }

    private static LaneReply Reply(int second, string recipient, ReplyRecord reply, bool deliveredBefore = false, string? recheckOf = null) =>
        new(T0.AddSeconds(second), recipient, reply, deliveredBefore, LastAttempt: false, recheckOf);
}
