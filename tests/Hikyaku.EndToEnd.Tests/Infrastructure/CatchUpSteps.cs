using System.Net;
using System.Net.Http.Json;
using Hikyaku.MxSim.Journal;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>A tenant with one magazine per catch-up policy, each with the same step sequence, and what its readers received.</summary>
public static class CatchUpSteps
{
    /// <summary>
    /// A new tenant sending from <paramref name="ip"/>, resending missed stories by itself, with a magazine named after each
    /// of <paramref name="policies"/> under that policy. A story's subject is <c>{tenantId} {policy} {storyId}</c>.
    /// </summary>
    public static async Task<(HttpClient Tenant, string TenantId)> TenantWithPolicyMagazines(
        BounceIntakeFixture fixture, string prefix, string ip, string[] policies, (string Id, TimeSpan After)[] sequence)
    {
        var tenantId = $"{prefix}-{Guid.NewGuid():N}"[..16];
        var t = await fixture.Silo.CreateTenant(tenantId, policies);
        using (var admin = fixture.Silo.AdminClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips = new[] { ip } })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 1000, batchInterval = "PT0S", autoResendMissed = true, cooldown = "PT1H" })).StatusCode);
        foreach (var policy in policies)
        {
            Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync($"/v1/magazines/{policy}", new { catchUp = policy })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync($"/v1/magazines/{policy}/steps",
                sequence.Select(s => new { id = s.Id, after = System.Xml.XmlConvert.ToString(s.After), subject = $"{tenantId} {policy} {s.Id}", textBody = s.Id }))).StatusCode);
        }

        return (t, tenantId);
    }

    /// <summary>What the provider accepted for <paramref name="email"/> from the tenant's <paramref name="policy"/> magazine, oldest
    /// first: the subjects' last word (a story's id).</summary>
    public static List<string> Received(DeliveryJournal journal, string tenantId, string policy, string email) =>
        [.. journal.ForRecipient(email).Where(m => m.Subject?.StartsWith($"{tenantId} {policy} ", StringComparison.Ordinal) == true)
            .OrderBy(m => m.Time).Select(m => m.Subject![(tenantId.Length + policy.Length + 2)..])];
}
