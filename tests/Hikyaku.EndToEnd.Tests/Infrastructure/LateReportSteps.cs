using System.Net;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>The steps of a late-report scenario: a reader who got a broadcast, and reports mailed back to it.</summary>
public static class LateReportSteps
{
    /// <summary>A new tenant with one reader at the simulated Gmail who has received one broadcast.</summary>
    /// <returns>The tenant's client and id, the reader, and the return path the message went out with.</returns>
    public static async Task<(HttpClient Tenant, string TenantId, string Email, string ReturnPath)> ReaderWhoGotABroadcast(BounceIntakeFixture fixture, string name)
    {
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..20];
        var tenant = await fixture.Silo.CreateTenant(tenantId, "news");
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

    public static async Task<JsonElement> Reader(HttpClient tenant, string email) =>
        await (await tenant.GetAsync($"/v1/magazines/news/subscribers/{email}")).Json();

    public static async Task<JsonElement[]> MailLog(HttpClient tenant, string email) =>
        (await (await tenant.GetAsync($"/v1/magazines/news/subscribers/{email}/log")).Json()).EnumerateArray().ToArray();

    public static async Task<string[]> HistoryTypes(HttpClient tenant, string email) =>
        (await (await tenant.GetAsync($"/v1/magazines/news/subscribers/{email}/history")).Json()).EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();
}
