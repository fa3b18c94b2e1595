using Hikyaku.Contracts.Model;
using Hikyaku.Intake.Processing;
using Microsoft.Extensions.Logging;
using static Hikyaku.Intake.Tests.Reports;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.Intake.Tests;

public sealed class ProcessingTests
{
    private readonly RecordingRecorder _recorder = new();
    private readonly ListLogger<BounceProcessor> _log = new();

    private Task<IntakeOutcome> Process(string report, bool envelope = false) =>
        Processor(_recorder, _log).ProcessAsync(Bytes(report), envelope ? Taro : null, envelope ? "smtp" : "imap", CancellationToken.None);

    [Fact]
    public async Task A_user_unknown_DSN_to_the_return_path_reaches_its_reader_as_a_dead_address()
    {
        var outcome = await Process(Dsn(ReturnPathOf(Taro), "taro@example.jp", "5.1.1", "550 5.1.1 <taro@example.jp>: Recipient address rejected: User unknown", OriginalHeaders(ReturnPathOf(Taro))), envelope: true);

        Assert.Equal(IntakeOutcome.Recorded, outcome);
        var (path, notice) = Assert.Single(_recorder.Recorded);
        Assert.Equal(Taro, path);
        Assert.Equal((BounceKinds.Bounce, "userunknown", "address-dead", true, "5.1.1", 550, "smtp", Taro.MessageKey, 39),
            (notice.Kind, notice.Reason, notice.Action, notice.Hard, notice.Status, notice.ReplyCode, notice.Via, notice.MessageKey, notice.BounceId.Length));
    }

    [Fact]
    public async Task A_full_mailbox_is_a_soft_bounce_and_a_blocked_sender_is_the_lanes_problem()
    {
        await Process(Dsn(ReturnPathOf(Taro), "taro@example.jp", "4.2.2", "452 4.2.2 Mailbox full", "Subject: x\n", messageId: "<full@mx>", action: "failed"), envelope: true);
        await Process(Dsn(ReturnPathOf(Taro), "taro@example.jp", "5.7.1", "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus", "Subject: x\n", messageId: "<blk@mx>"), envelope: true);

        Assert.Equal(["address-soft", "sender-blocked"], _recorder.Recorded.Select(r => r.Notice.Action));
        Assert.All(_recorder.Recorded, r => Assert.False(r.Notice.Hard));
    }

    [Theory]
    [InlineData("Delivered-To")]
    [InlineData("X-Original-To")]
    [InlineData("To")]
    public async Task A_polled_report_finds_its_reader_from_the_delivery_headers(string header)
    {
        var report = $"{header}: {ReturnPathOf(Taro)}\n" + Dsn("postmaster@bounce.hikyaku.example", "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", "Subject: x\n");

        Assert.Equal(IntakeOutcome.Recorded, await Process(report));
        Assert.Equal(Taro, Assert.Single(_recorder.Recorded).Path);
    }

    [Fact]
    public async Task A_polled_report_to_a_shared_mailbox_finds_its_reader_in_the_returned_original_headers()
    {
        var report = Dsn("bounces@acme.example", "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", OriginalHeaders(ReturnPathOf(Taro).ToUpperInvariant()));

        Assert.Equal(IntakeOutcome.Recorded, await Process(report));
        Assert.Equal(Taro, Assert.Single(_recorder.Recorded).Path);
    }

    [Fact]
    public async Task A_report_whose_return_path_was_altered_is_set_aside_and_logged_without_reaching_anyone()
    {
        var genuine = ReturnPathOf(Taro);
        var forged = genuine[..20] + (genuine[20] == 'q' ? 'r' : 'q') + genuine[21..];
        var outcome = await Process(Dsn(forged, "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", OriginalHeaders(forged)));

        Assert.Equal(IntakeOutcome.NoReturnPath, outcome);
        Assert.Empty(_recorder.Recorded);
        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(4604, warning.EventId);
        Assert.Contains("did not open", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("intake-test-secret", string.Join("\n", _log.Entries.Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_complaint_found_in_the_returned_original_becomes_a_complaint_for_the_reader()
    {
        var outcome = await Process(Complaint("fbl-reports@acme.example", ReturnPathOf(Taro)));

        Assert.Equal(IntakeOutcome.Recorded, outcome);
        var (path, notice) = Assert.Single(_recorder.Recorded);
        Assert.Equal(Taro, path);
        Assert.Equal((BounceKinds.Complaint, "feedback"), (notice.Kind, notice.Reason));
    }

    [Fact]
    public async Task An_auto_reply_changes_nothing()
    {
        var outcome = await Process(AutoReply(ReturnPathOf(Taro)));

        Assert.Equal(IntakeOutcome.NothingToRecord, outcome);
        Assert.Empty(_recorder.Recorded);
    }

    [Fact]
    public async Task The_same_report_again_even_with_more_trace_headers_is_a_duplicate_but_another_report_with_the_same_message_id_is_not()
    {
        var dsn = Dsn(ReturnPathOf(Taro), "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", "Subject: x\n");
        var other = Dsn(ReturnPathOf(Taro), "taro@example.jp", "4.2.2", "452 4.2.2 Mailbox full", "Subject: x\n");

        Assert.Equal(IntakeOutcome.Recorded, await Process(dsn, envelope: true));
        Assert.Equal(IntakeOutcome.Duplicate, await Process("Received: from mx2.example.jp by imap.example.jp; Mon, 3 Nov 2026 09:00:00 +0900\n" + dsn));
        Assert.Equal(IntakeOutcome.Recorded, await Process(other, envelope: true));
        Assert.Equal(["userunknown", "mailboxfull"], _recorder.Recorded.Select(r => r.Notice.Reason));
    }

    [Fact]
    public async Task When_the_cluster_cannot_take_the_report_the_failure_reaches_the_caller_so_it_is_tried_again()
    {
        _recorder.Fail = true;

        await Assert.ThrowsAsync<TimeoutException>(() => Process(Dsn(ReturnPathOf(Taro), "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", "Subject: x\n"), envelope: true));
        Assert.Contains(_log.Entries, e => e.EventId == 4606);
    }

    [Fact]
    public void Envelope_recipients_open_only_at_the_bounce_domain_with_a_genuine_token()
    {
        var processor = Processor(_recorder);

        Assert.True(processor.TryOpenRecipient(ReturnPathOf(Taro), out var path, out _));
        Assert.Equal(Taro, path);
        Assert.False(processor.TryOpenRecipient(ReturnPathOf(Taro).Replace(BounceDomain, "elsewhere.example"), out _, out var otherDomain));
        Assert.Contains("not the bounce domain", otherDomain, StringComparison.Ordinal);
        Assert.False(processor.TryOpenRecipient("bounce+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@" + BounceDomain, out _, out var forged));
        Assert.Contains("does not open", forged, StringComparison.Ordinal);
    }
}
