using System.Net;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Smtp;
using static Hikyaku.EndToEnd.Tests.Infrastructure.LateReportSteps;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Reports mailed back, days later, to the return path a reader's message went out with.</summary>
[Collection(BounceIntakeCollection.Name)]
public sealed class LateBounceOverSmtpTests(BounceIntakeFixture fixture)
{
    [Fact]
    public async Task A_late_user_unknown_DSN_error_stops_its_reader_and_shows_in_the_mail_log()
    {
        var (t, _, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "dsn");

        var dsn = Dsn(returnPath, email, "5.1.1", $"550 5.1.1 <{email}>: The email account that you tried to reach does not exist", OriginalHeaders(returnPath));
        await MailToBounceListener(fixture, returnPath, dsn);
        await MailToBounceListener(fixture, returnPath, dsn);

        var reader = await Reader(t, email);
        Assert.Equal(("error-stopped", "userunknown"), (reader.GetProperty("status").GetString(), reader.GetProperty("statusReason").GetString()));
        var log = await MailLog(t, email);
        Assert.Equal(["attempt:delivered", "bounce:error-stopped"], log.Select(e => $"{e.GetProperty("entry").GetString()}:{e.GetProperty("result").GetString()}"));
        Assert.Equal(("userunknown", 550, "5.1.1"), (log[1].GetProperty("classification").GetString(), log[1].GetProperty("reply").GetProperty("code").GetInt32(), log[1].GetProperty("reply").GetProperty("enhanced").GetString()));
        Assert.Equal(["reader.subscribed", "reader.delivery-attempted", "reader.bounce-received", "reader.error-stopped"], await HistoryTypes(t, email));
    }

    [Fact]
    public async Task A_forged_return_path_is_refused_at_RCPT_and_logged_and_changes_nobody()
    {
        var (t, _, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "forged");
        var at = returnPath.IndexOf('@');
        var forged = returnPath[..(at - 3)] + (returnPath[at - 3] == 'q' ? 'r' : 'q') + returnPath[(at - 2)..];

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => MailToBounceListener(fixture, forged, Dsn(forged, email, "5.1.1", "550 5.1.1 User unknown", OriginalHeaders(forged))));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, 550), (refused.ErrorCode, (int)refused.StatusCode));
        Assert.StartsWith("5.1.1", refused.Message, StringComparison.Ordinal);
        Assert.Equal("active", (await Reader(t, email)).GetProperty("status").GetString());
        Assert.Equal(["reader.subscribed", "reader.delivery-attempted"], await HistoryTypes(t, email));
        Assert.Contains($"refused RCPT TO <{forged}>", fixture.Silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Testing.SiloProcess.AdminKey, fixture.Silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_complaint_unsubscribes_its_reader_and_counts_in_the_tenants_complaint_rate()
    {
        var (t, tenantId, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "arf");

        await MailToBounceListener(fixture, returnPath, Complaint(returnPath, returnPath));
        await MailToBounceListener(fixture, returnPath, Complaint(returnPath, returnPath));

        var reader = await Reader(t, email);
        Assert.Equal(("unsubscribed", "complaint"), (reader.GetProperty("status").GetString(), reader.GetProperty("statusReason").GetString()));
        Assert.Equal("complaint:complaint", (await MailLog(t, email)).Select(e => $"{e.GetProperty("entry").GetString()}:{e.GetProperty("result").GetString()}").Last());
        using var admin = fixture.Silo.AdminClient();
        var complaints = await (await admin.GetAsync($"/v1/tenants/{tenantId}/complaints")).Json();
        Assert.Equal((1, 1, 1.0), (complaints.GetProperty("complaints").GetInt32(), complaints.GetProperty("delivered").GetInt32(), complaints.GetProperty("rate").GetDouble()));
        Assert.Equal(email, complaints.GetProperty("latest")[0].GetProperty("email").GetString());
        Assert.Equal(1, (await (await admin.GetAsync($"/v1/tenants/{tenantId}")).Json()).GetProperty("complaints").GetInt32());
    }

    [Fact]
    public async Task An_auto_reply_changes_nothing()
    {
        var (t, tenantId, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "vacation");

        await MailToBounceListener(fixture, returnPath, AutoReply(returnPath));

        Assert.Equal("active", (await Reader(t, email)).GetProperty("status").GetString());
        Assert.Equal(["reader.subscribed", "reader.delivery-attempted"], await HistoryTypes(t, email));
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/tenants/{tenantId}/complaints")).StatusCode);
        Assert.Equal(0, (await (await admin.GetAsync($"/v1/tenants/{tenantId}/complaints")).Json()).GetProperty("complaints").GetInt32());
    }
}
