using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>The steps of a broadcast scenario against a <see cref="DeliveryFixture"/>: a tenant, its readers, a send, its end.</summary>
public static class BroadcastSteps
{
    /// <summary>A tenant with the magazine <c>news</c> and three sending IPs from 127.0.0.<paramref name="firstOctet"/>.</summary>
    public static async Task<(HttpClient Tenant, string TenantId)> TenantWithIps(this DeliveryFixture fixture, string name, int firstOctet)
    {
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..20];
        var t = await fixture.Silo.CreateTenant(tenantId, "news");
        using var admin = fixture.Silo.AdminClient();
        var ips = new[] { $"127.0.0.{firstOctet}", $"127.0.0.{firstOctet + 1}", $"127.0.0.{firstOctet + 2}" };
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips })).StatusCode);
        return (t, tenantId);
    }

    /// <summary>Imports <paramref name="emails"/> as a CSV and checks that every one was imported.</summary>
    public static async Task Import(this HttpClient t, IReadOnlyCollection<string> emails)
    {
        var csv = new StringBuilder("email,name\n");
        foreach (var email in emails)
        {
            csv.Append(email).Append(",Reader\n");
        }

        var accepted = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
        var finished = await t.WaitImportFinished(accepted.GetProperty("importId").GetString()!);
        Assert.Equal(emails.Count, finished.GetProperty("imported").GetInt32());
    }

    public static async Task<string> Broadcast(this HttpClient t, string subject)
    {
        var created = await t.PostJson("/v1/magazines/news/broadcasts", new { subject, textBody = "Hello, readers.\nこんにちは。\n" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.Json()).GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the broadcast to finish, checking at every look that its counters add up to the total.</summary>
    public static async Task<JsonElement> WaitFinished(this HttpClient t, string broadcastId, TimeSpan timeout)
    {
        var view = default(JsonElement);
        var finished = await Poll.UntilAsync(async () =>
        {
            view = await (await t.GetAsync($"/v1/broadcasts/{broadcastId}")).Json();
            var bounced = view.GetProperty("bounced").EnumerateObject().Sum(p => p.Value.GetInt32());
            Assert.Equal(
                view.GetProperty("total").GetInt32(),
                view.GetProperty("pending").GetInt32() + view.GetProperty("delivered").GetInt32() + view.GetProperty("held").GetInt32()
                    + view.GetProperty("errorStopped").GetInt32() + bounced);
            return view.GetProperty("state").GetString() == "finished";
        }, timeout);
        Assert.True(finished, $"broadcast {broadcastId} did not finish within {timeout}: {view}");
        return view;
    }

    /// <summary>The reader's resource path, the address escaped as one path segment.</summary>
    public static string Reader(string email, string rest = "") => $"/v1/magazines/news/subscribers/{Uri.EscapeDataString(email)}{rest}";
}
