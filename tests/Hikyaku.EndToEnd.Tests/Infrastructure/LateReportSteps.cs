using System.Net;
using System.Text.Json;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>The steps of a late-report scenario: a reader who got a broadcast, and reports mailed back to it.</summary>
public static class LateReportSteps
{
    private static int _lastOctet;

    /// <summary>A new tenant with one reader at the simulated Gmail who has received one broadcast.</summary>
    /// <returns>The tenant's client and id, the reader, and the return path the message went out with.</returns>
    public static async Task<(HttpClient Tenant, string TenantId, string Email, string ReturnPath)> ReaderWhoGotABroadcast(BounceIntakeFixture fixture, string name)
    {
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..20];
        var tenant = await fixture.Silo.CreateTenant(tenantId, "news");

        // Real delivery (no sandbox) goes out only from a tenant's own IPs: one loopback address each.
        using (var admin = fixture.Silo.AdminClient())
        {
            var ip = $"127.0.30.{Interlocked.Increment(ref _lastOctet)}";
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/v1/tenants/{tenantId}/ips", new StringContent($"{{\"ips\":[\"{ip}\"]}}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        }

        var email = $"{name}-{Guid.NewGuid():N}"[..16] + "@gmail.com";
        Assert.Equal(HttpStatusCode.Created, (await tenant.PostJson("/v1/magazines/news/subscribers", new { email })).StatusCode);
        var created = await tenant.PostJson("/v1/magazines/news/broadcasts", new { subject = $"Issue for {name}", textBody = "Hello, reader." });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var broadcastId = (await created.Json()).GetProperty("id").GetString()!;
        for (var i = 0; i < 300 && (await (await tenant.GetAsync($"/v1/broadcasts/{broadcastId}")).Json()).GetProperty("state").GetString() != "finished"; i++)
        {
            await Task.Delay(100);
        }

        var received = Assert.Single(fixture.Providers.Journal.ForRecipient(email));
        Assert.EndsWith("@" + BounceIntakeFixture.BounceDomain, received.Sender, StringComparison.Ordinal);
        return (tenant, tenantId, email, received.Sender);
    }

    /// <summary>Mails <paramref name="report"/> to the silo's bounce listener as a remote MTA would (null reverse path).</summary>
    public static async Task MailToBounceListener(BounceIntakeFixture fixture, string recipient, string report)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", fixture.BounceSmtpPort, SecureSocketOptions.None);
        var message = MimeMessage.Load(new MemoryStream(Testing.LateReports.Bytes(report)));
        await smtp.SendAsync(message, new MailboxAddress("", ""), [MailboxAddress.Parse(recipient)]);
        await smtp.DisconnectAsync(quit: true);
    }

    /// <summary>
    /// Drops two user-unknown DSNs for <paramref name="email"/> into a polled mailbox, as a shared bounce mailbox gets
    /// them: only the returned original names the reader, once by its real return path and once by a forged one.
    /// </summary>
    /// <returns>The forged return path.</returns>
    public static async Task<string> DropRealAndForgedDsn(IMailFolder inbox, string email, string returnPath)
    {
        var forged = returnPath.Replace("bounce+", "bounce+aa", StringComparison.Ordinal);
        foreach (var path in new[] { returnPath, forged })
        {
            var dsn = Testing.LateReports.Dsn("bounces@acme.example", email, "5.1.1", "550 5.1.1 User unknown", Testing.LateReports.OriginalHeaders(path), messageId: $"<{Guid.NewGuid():N}@mx>");
            await inbox.AppendAsync(MimeMessage.Load(new MemoryStream(Testing.LateReports.Bytes(dsn))));
        }

        return forged;
    }

    /// <summary>Waits until the poller's report error-stops <paramref name="email"/>, and checks its late entry in the mail log.</summary>
    public static async Task AssertErrorStoppedByLateBounce(HttpClient tenant, string email, string via)
    {
        var status = "active";
        for (var i = 0; i < 150 && status == "active"; i++)
        {
            await Task.Delay(100);
            status = (await Reader(tenant, email)).GetProperty("status").GetString()!;
        }

        Assert.Equal("error-stopped", status);
        var late = (await MailLog(tenant, email)).Last();
        Assert.Equal(("bounce", "userunknown"), (late.GetProperty("entry").GetString(), late.GetProperty("classification").GetString()));
        Assert.Contains($"via {via}", late.GetProperty("transcript").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The Return-Path of the original message a report returned.</summary>
    public static string ReturnedOriginalReturnPath(MimeMessage report) =>
        report.BodyParts.OfType<MessagePart>().Single().Message!.Headers[HeaderId.ReturnPath]!.Trim('<', '>', ' ');

    public static async Task<JsonElement> Reader(HttpClient tenant, string email) =>
        await (await tenant.GetAsync($"/v1/magazines/news/subscribers/{email}")).Json();

    public static async Task<JsonElement[]> MailLog(HttpClient tenant, string email) =>
        (await (await tenant.GetAsync($"/v1/magazines/news/subscribers/{email}/log")).Json()).EnumerateArray().ToArray();

    public static async Task<string[]> HistoryTypes(HttpClient tenant, string email) =>
        (await (await tenant.GetAsync($"/v1/magazines/news/subscribers/{email}/history")).Json()).EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();
}
