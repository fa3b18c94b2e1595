using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;
using Hikyaku.Testing;
using static Hikyaku.EndToEnd.Tests.AllBlockedSteps;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// Delivery on loopback with short holds (a test sees a hold run out) and a DNS block list of its own, checked every two
/// seconds and used by the simulated Apple.
/// </summary>
public sealed class ShortHoldDeliveryFixture : DeliveryFixture
{
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(25);

    public const string BlockList = "bl.hikyaku.test";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Blocks__MaxHold"] = MaxHold.ToString("c"),
        ["Blocks__DnsblZones__0"] = BlockList,
        ["Blocks__DnsblInterval"] = "00:00:02",
        [$"Blocks__DnsblSites__{BlockList}__0"] = "apple",
    };
}

// These classes are each a collection of their own and run beside the others: their time goes to a provider's block, a
// cooldown, a relay's cap or a hold running out, not to this machine's cores.

/// <summary>
/// A provider blocks every sending IP of a tenant at once. Without a relay its readers are held (not error-stopped),
/// then delivered once the cooldown (the shortest allowed, a minute) ends and its probes go through. Judged from what the
/// simulated providers received.
/// </summary>
public sealed class AllIpsBlockedTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{

    [Fact]
    public async Task Every_ip_blocked_without_a_relay_holds_the_readers_and_delivers_them_once_after_the_cooldown()
    {
        var (t, _, ips, readers) = await TenantWithReaders("allblk", 90, ["yahoo.com", "ymail.com", "gmail.com"], cooldown: "PT1M");
        var yahoo = fixture.Providers["yahoo"];
        var atYahoo = readers.Where(r => !r.EndsWith("gmail.com", StringComparison.Ordinal)).ToList();
        foreach (var ip in ips)
        {
            yahoo.SetBehaviour(Behaviour.ExplicitBlock, sourceIp: ip);
        }

        try
        {
            var broadcast = await Broadcast(t, "all-blocked issue");
            // Gmail's readers go out as usual; Yahoo's wait, held, not error-stopped.
            var sawHeld = await Poll.UntilAsync(async () =>
            {
                var view = await (await t.GetAsync($"/v1/broadcasts/{broadcast}")).Json();
                return view.GetProperty("held").GetInt32() == atYahoo.Count && view.GetProperty("errorStopped").GetInt32() == 0;
            }, TimeSpan.FromSeconds(30));
            Assert.True(sawHeld, "the Yahoo readers were never all held");
            var journal = fixture.Providers.Journal;
            Assert.All(readers.Except(atYahoo), r => Assert.Equal(1, journal.ForRecipient(r).Count(m => m.Subject == "all-blocked issue")));
            Assert.All(atYahoo, r => Assert.Empty(journal.ForRecipient(r)));
            var refused = journal.Rejected.Where(r => r.Provider == "yahoo").OrderBy(r => r.Time).ToList();
            foreach (var ip in ips)
            {
                var first = refused.First(r => r.SourceIp.ToString() == ip).Time;
                var after = refused.Count(r => r.SourceIp.ToString() == ip && r.Time > first);
                Assert.True(after <= 5, $"{after} messages were offered on the blocked lane {ip} after its first block reply");
            }

            // The provider lifts its block; after the cooldown the lanes probe, open, and every held reader is served once.
            foreach (var ip in ips)
            {
                yahoo.ClearBehaviour(ip);
            }

            var finished = await WaitFinished(t, broadcast, TimeSpan.FromSeconds(180));
            Assert.Equal((readers.Count, 0, 0), (finished.GetProperty("delivered").GetInt32(), finished.GetProperty("errorStopped").GetInt32(), finished.GetProperty("held").GetInt32()));
            Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r).Count(m => m.Subject == "all-blocked issue")));
            var reader = await (await t.GetAsync($"/v1/magazines/news/subscribers/{atYahoo[0]}")).Json();
            Assert.Equal("active", reader.GetProperty("status").GetString());

            var blocks = (await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(ips.Order(), blocks.Select(b => b.GetProperty("sourceIp").GetString()!).Order());
            Assert.All(blocks, b => Assert.Equal(("yahoo", "explicit", "ended"), (b.GetProperty("provider").GetString(), b.GetProperty("kind").GetString(), b.GetProperty("state").GetString())));
        }
        finally
        {
            foreach (var ip in ips)
            {
                yahoo.ClearBehaviour(ip);
            }
        }
    }

    private Task<(HttpClient Tenant, string TenantId, string[] Ips, List<string> Readers)> TenantWithReaders(string name, int count, string[] domains, string cooldown) =>
        AllBlockedSteps.TenantWithReaders(fixture, name, count, domains, cooldown);
}

/// <summary>
/// A provider blocks every sending IP of a tenant that has a relay: that provider's readers go through the relay, once
/// each, within the relay's cap per minute.
/// </summary>
public sealed class RelayFallbackTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task Every_ip_blocked_with_a_relay_configured_sends_that_providers_readers_through_the_relay_within_its_cap()
    {
        const int cap = 30;
        await using var relay = TestRelay.Start("hk-relay", "Relay-Secret-4d2c", cap);
        var dataDir = Path.Combine(Path.GetTempPath(), "hikyaku-relay-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = fixture.OwnSiloSettings();
        settings["Delivery__TrustedRelayCertificates__0"] = relay.Fingerprint;
        var ips = new[] { "127.0.0.184", "127.0.0.185" };
        var yahoo = fixture.Providers["yahoo"];
        var readers = Enumerable.Range(0, 60).Select(i => $"relay{i:D3}@{(i % 3) switch { 0 => "yahoo.com", 1 => "ymail.com", _ => "gmail.com" }}").ToList();
        var atYahoo = readers.Where(r => !r.EndsWith("gmail.com", StringComparison.Ordinal)).ToList();
        readers.ForEach(r => fixture.Providers.ProviderFor(r.Split('@')[1])!.AddMailbox(r));
        foreach (var ip in ips)
        {
            yahoo.SetBehaviour(Behaviour.ExplicitBlock, sourceIp: ip);
        }

        try
        {
            await using var silo = await SiloProcess.StartAsync(dataDir, settings);
            var t = await silo.CreateTenant("relayed", "news");
            using var admin = silo.AdminClient();
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/relayed/ips", new { ips })).StatusCode);
            var relaySettings = new { host = "127.0.0.1", port = relay.Port, username = "hk-relay", password = "Relay-Secret-4d2c", useTls = true, maxPerMinute = cap, maxPerDay = 1000 };
            Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 100, batchInterval = "PT1S", autoResendMissed = true, cooldown = "P1D", relay = relaySettings })).StatusCode);
            var csv = new StringBuilder("email\n");
            readers.ForEach(r => csv.Append(r).Append('\n'));
            var import = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
            await t.WaitImportFinished(import.GetProperty("importId").GetString()!);

            var broadcast = await Broadcast(t, "relay issue");
            var finished = await WaitFinished(t, broadcast, TimeSpan.FromSeconds(150));
            Assert.Equal((readers.Count, 0, 0), (finished.GetProperty("delivered").GetInt32(), finished.GetProperty("errorStopped").GetInt32(), finished.GetProperty("held").GetInt32()));

            // Yahoo's readers went through the relay, once each, under the tenant's login; Gmail's straight to Gmail.
            var relayed = relay.Relayed.Where(m => m.Subject == "relay issue").ToList();
            Assert.Equal(atYahoo.Order(), relayed.Select(m => m.Recipient).Order());
            Assert.All(relayed, m => Assert.Equal("hk-relay", m.User));
            Assert.All(atYahoo, r => Assert.DoesNotContain(fixture.Providers.Journal.ForRecipient(r), m => m.Subject == "relay issue"));
            Assert.All(readers.Except(atYahoo), r => Assert.Equal(1, fixture.Providers.Journal.ForRecipient(r).Count(m => m.Subject == "relay issue")));

            // Within the relay's cap: never more than 30 in any sixty seconds, and the relay never had to refuse.
            var times = relayed.Select(m => m.Time).Order().ToList();
            var busiest = times.Max(at => times.Count(x => x >= at && x < at.AddSeconds(60)));
            Assert.True(busiest <= cap, $"{busiest} messages went through the relay within sixty seconds");
            Assert.Equal(0, relay.OverCap);
            // The password is never read back (that it is sealed in the store, SendingSettingsTests checks).
            Assert.DoesNotContain("Relay-Secret-4d2c", (await (await t.GetAsync("/v1/settings/sending")).Json()).GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            Unblock(yahoo, ips, dataDir);
        }
    }
}

/// <summary>A block, its cooldown and its held readers survive a kill -9 of the embedded silo; nobody is sent twice.</summary>
public sealed class BlockRestartTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task A_block_its_cooldown_and_its_held_readers_survive_a_kill_9_of_the_embedded_silo_and_nobody_is_sent_twice()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "hikyaku-blockrestart-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = fixture.OwnSiloSettings();
        var ips = new[] { "127.0.0.180", "127.0.0.181" };
        var apple = fixture.Providers["apple"];
        var readers = Enumerable.Range(0, 30).Select(i => $"restart{i:D3}@{(i % 2 == 0 ? "icloud.com" : "me.com")}").ToList();
        readers.ForEach(apple.AddMailbox);
        foreach (var ip in ips)
        {
            apple.SetBehaviour(Behaviour.ExplicitBlock, sourceIp: ip);
        }

        try
        {
            string key, broadcast, blockId;
            await using (var silo = await SiloProcess.StartAsync(dataDir, settings))
            {
                var t = await silo.CreateTenant("blockrestart", "news");
                key = t.DefaultRequestHeaders.Authorization!.Parameter!;
                using var admin = silo.AdminClient();
                Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/tenants/blockrestart/ips", new { ips })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 40, batchInterval = "PT1S", autoResendMissed = true, cooldown = "PT1M" })).StatusCode);
                var csv = new StringBuilder("email\n");
                readers.ForEach(r => csv.Append(r).Append('\n'));
                var import = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
                await t.WaitImportFinished(import.GetProperty("importId").GetString()!);
                broadcast = await Broadcast(t, "restart-block issue");
                Assert.True(await Poll.UntilAsync(async () =>
                    (await (await t.GetAsync($"/v1/broadcasts/{broadcast}")).Json()).GetProperty("held").GetInt32() == readers.Count, TimeSpan.FromSeconds(30)),
                    "the readers were never all held");
                blockId = (await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items")[0].GetProperty("id").GetString()!;
                silo.Kill();
            }

            // The provider still refuses; after the restart the blocks, their cooldowns and the held readers are all still there.
            await using var restarted = await SiloProcess.StartAsync(dataDir, settings);
            using var again = restarted.Client(key);
            var blocks = (await (await again.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(ips.Order(), blocks.Select(b => b.GetProperty("sourceIp").GetString()!).Order());
            Assert.All(blocks, b => Assert.Equal("active", b.GetProperty("state").GetString()));
            Assert.True(blocks.Single(b => b.GetProperty("id").GetString() == blockId).GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
            var view = await (await again.GetAsync($"/v1/broadcasts/{broadcast}")).Json();
            Assert.Equal((readers.Count, 0, 0), (view.GetProperty("held").GetInt32(), view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32()));
            Assert.Equal("held", (await (await again.GetAsync($"/v1/magazines/news/subscribers/{readers[0]}")).Json()).GetProperty("status").GetString());

            // The provider lets the IPs in again: after the cooldown every held reader is served exactly once.
            foreach (var ip in ips)
            {
                apple.ClearBehaviour(ip);
            }

            var finished = await WaitFinished(again, broadcast, TimeSpan.FromSeconds(180));
            Assert.Equal((readers.Count, 0), (finished.GetProperty("delivered").GetInt32(), finished.GetProperty("errorStopped").GetInt32()));
            Assert.All(readers, r => Assert.Equal(1, fixture.Providers.Journal.ForRecipient(r).Count(m => m.Subject == "restart-block issue")));
        }
        finally
        {
            Unblock(apple, ips, dataDir);
        }
    }
}

/// <summary>
/// A provider blocks every sending IP and keeps blocking: a hold that outlasts <c>Blocks:MaxHold</c> ends as
/// <c>held-expired</c> (never an error stop), and the incident undo restores exactly the readers the block touched.
/// </summary>
public sealed class HoldExpiryTests(ShortHoldDeliveryFixture fixture) : IClassFixture<ShortHoldDeliveryFixture>
{
    [Fact]
    public async Task A_hold_longer_than_max_hold_ends_as_held_expired_and_the_incident_undo_restores_exactly_the_readers_the_block_touched()
    {
        var (t, tenantId, ips, readers) = await TenantWithReaders("expire", 40, ["icloud.com", "me.com", "gmail.com", "googlemail.com"], cooldown: "P1D");
        var apple = fixture.Providers["apple"];
        var atApple = readers.Where(r => r.EndsWith("icloud.com", StringComparison.Ordinal) || r.EndsWith("me.com", StringComparison.Ordinal)).ToList();
        foreach (var ip in ips)
        {
            apple.SetBehaviour(Behaviour.ExplicitBlock, sourceIp: ip);
        }

        try
        {
            var started = DateTimeOffset.UtcNow;
            var broadcast = await Broadcast(t, "expiring issue");
            var finished = await WaitFinished(t, broadcast, TimeSpan.FromSeconds(120));
            Assert.True(DateTimeOffset.UtcNow - started >= ShortHoldDeliveryFixture.MaxHold, "the broadcast finished before any hold could run out");
            Assert.Equal((readers.Count - atApple.Count, 0, 0), (finished.GetProperty("delivered").GetInt32(), finished.GetProperty("errorStopped").GetInt32(), finished.GetProperty("held").GetInt32()));
            Assert.Equal(atApple.Count, finished.GetProperty("bounced").GetProperty("held-expired").GetInt32());
            var journal = fixture.Providers.Journal;
            Assert.All(atApple, r => Assert.Empty(journal.ForRecipient(r)));

            // Held, never error-stopped; the history says the message ran out.
            var reader = await (await t.GetAsync($"/v1/magazines/news/subscribers/{atApple[0]}")).Json();
            Assert.Equal("held", reader.GetProperty("status").GetString());
            var history = await (await t.GetAsync($"/v1/magazines/news/subscribers/{atApple[0]}/history")).Json();
            Assert.Contains(history.EnumerateArray(), e => e.GetProperty("type").GetString() == "reader.hold-expired");

            // Incident undo: every reader the two blocks touched is active again, and nobody else was touched.
            var restoredAll = new List<string>();
            foreach (var block in (await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray())
            {
                var restored = await (await t.PostAsync($"/v1/blocks/{block.GetProperty("id").GetString()}/restore", null)).Json();
                restoredAll.AddRange(restored.GetProperty("readers").EnumerateArray().Select(r => r.GetProperty("email").GetString()!));
            }

            Assert.Equal(atApple.Order(), restoredAll.Order());
            var list = await (await t.GetAsync("/v1/magazines/news/subscribers?limit=1000")).Json();
            Assert.All(list.GetProperty("items").EnumerateArray(), i => Assert.Equal("active", i.GetProperty("status").GetString()));
        }
        finally
        {
            foreach (var ip in ips)
            {
                apple.ClearBehaviour(ip);
            }
        }
    }

    [Fact]
    public async Task An_ip_on_a_dns_block_list_is_flagged_and_avoided_for_the_provider_that_uses_the_list_until_it_is_delisted()
    {
        var (t, _, ips, readers) = await TenantWithReaders("dnsbl", 40, ["icloud.com", "me.com", "gmail.com", "googlemail.com"], cooldown: "P1D");
        var listed = ips[0];
        using var admin = fixture.Silo.AdminClient();
        fixture.ServeDnsRecords($"{string.Join('.', listed.Split('.').Reverse())}.{ShortHoldDeliveryFixture.BlockList}. 300 IN A 127.0.0.2\n");
        try
        {
            JsonElement ip = default;
            Assert.True(await Poll.UntilAsync(async () =>
            {
                ip = await (await admin.GetAsync($"/v1/ips/{listed}")).Json();
                return ip.GetProperty("dnsbl").GetArrayLength() > 0 && ip.GetProperty("cooldowns").GetArrayLength() > 0;
            }, TimeSpan.FromSeconds(30)), "the listing was never seen");
            var listing = Assert.Single(ip.GetProperty("dnsbl").EnumerateArray());
            Assert.Equal((ShortHoldDeliveryFixture.BlockList, "127.0.0.2"), (listing.GetProperty("zone").GetString(), listing.GetProperty("codes")[0].GetString()));
            var cooldown = Assert.Single(ip.GetProperty("cooldowns").EnumerateArray());
            Assert.Equal(("apple", "dnsbl"), (cooldown.GetProperty("provider").GetString(), cooldown.GetProperty("kind").GetString()));
            // The other IP is not listed, and the tenant sees the block with the listing as its evidence.
            Assert.Empty((await (await admin.GetAsync($"/v1/ips/{ips[1]}")).Json()).GetProperty("dnsbl").EnumerateArray());
            var block = Assert.Single((await (await t.GetAsync("/v1/blocks")).Json()).GetProperty("items").EnumerateArray());
            Assert.Equal(("apple", listed, "dnsbl"), (block.GetProperty("provider").GetString(), block.GetProperty("sourceIp").GetString(), block.GetProperty("kind").GetString()));
            Assert.Contains(ShortHoldDeliveryFixture.BlockList, block.GetProperty("evidence")[0].GetProperty("reply").GetProperty("text").GetString(), StringComparison.Ordinal);

            // Apple's readers go out from the other IP only; Gmail does not use the list and keeps both.
            var broadcast = await Broadcast(t, "dnsbl issue");
            var finished = await WaitFinished(t, broadcast, TimeSpan.FromSeconds(90));
            Assert.Equal((readers.Count, 0), (finished.GetProperty("delivered").GetInt32(), finished.GetProperty("errorStopped").GetInt32()));
            var journal = fixture.Providers.Journal;
            Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r).Count(m => m.Subject == "dnsbl issue")));
            Assert.DoesNotContain(journal.FromSource(listed), m => m.Provider == "apple" && m.Subject == "dnsbl issue");
            Assert.Contains(journal.FromSource(listed), m => m.Provider == "google" && m.Subject == "dnsbl issue");

            // Delisted: the lane probes again and the IP shows no listing.
            fixture.ServeDnsRecords(string.Empty);
            Assert.True(await Poll.UntilAsync(async () =>
            {
                var now = await (await admin.GetAsync($"/v1/ips/{listed}")).Json();
                var state = (await (await t.GetAsync($"/v1/blocks/{block.GetProperty("id").GetString()}")).Json()).GetProperty("state").GetString();
                return now.GetProperty("dnsbl").GetArrayLength() == 0 && state != "active";
            }, TimeSpan.FromSeconds(30)), "the delisting was never seen");
        }
        finally
        {
            fixture.ServeDnsRecords(string.Empty);
        }
    }

    private Task<(HttpClient Tenant, string TenantId, string[] Ips, List<string> Readers)> TenantWithReaders(string name, int count, string[] domains, string cooldown) =>
        AllBlockedSteps.TenantWithReaders(fixture, name, count, domains, cooldown);
}

/// <summary>A tenant with two sending IPs and readers whose mailboxes exist; a broadcast; waiting for it to finish.</summary>
public static class AllBlockedSteps
{
    /// <summary>The provider treats the IPs normally again, and a test's own silo leaves no data behind.</summary>
    public static void Unblock(SimulatedProvider provider, string[] ips, string dataDir)
    {
        foreach (var ip in ips)
        {
            provider.ClearBehaviour(ip);
        }

        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int _nextOctet = 100;

    public static async Task<(HttpClient Tenant, string TenantId, string[] Ips, List<string> Readers)> TenantWithReaders(DeliveryFixture fixture, string name, int count, string[] domains, string cooldown)
    {
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..20];
        var t = await fixture.Silo.CreateTenant(tenantId, "news");
        var octet = Interlocked.Add(ref _nextOctet, 2) - 2;
        var ips = new[] { $"127.0.0.{octet}", $"127.0.0.{octet + 1}" };
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await t.PutAsJsonAsync("/v1/settings/sending", new { batchSize = 40, batchInterval = "PT1S", autoResendMissed = true, cooldown })).StatusCode);
        var readers = Enumerable.Range(0, count).Select(i => $"{name}{i:D4}@{domains[i % domains.Length]}").ToList();
        foreach (var email in readers)
        {
            fixture.Providers.ProviderFor(email.Split('@')[1])!.AddMailbox(email);
        }

        var csv = new StringBuilder("email\n");
        readers.ForEach(r => csv.Append(r).Append('\n'));
        var accepted = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
        Assert.Equal(count, (await t.WaitImportFinished(accepted.GetProperty("importId").GetString()!)).GetProperty("imported").GetInt32());
        return (t, tenantId, ips, readers);
    }

    public static async Task<string> Broadcast(HttpClient t, string subject)
    {
        var created = await t.PostJson("/v1/magazines/news/broadcasts", new { subject, textBody = "Hello, readers." });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.Json()).GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the broadcast to finish, its counters adding up at every look.</summary>
    public static Task<JsonElement> WaitFinished(HttpClient t, string broadcastId, TimeSpan within) => t.WaitFinished(broadcastId, within);
}
