using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.MxSim;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Broadcasts over real SMTP and DNS on loopback, checked against what the simulated providers received.</summary>
[Collection(SiloCollection.Name)]
public sealed class BroadcastDeliveryTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private static int _nextOctet = 2;
    private static readonly Dictionary<HttpClient, string> Tenants = [];

    private static readonly string[] AllDomains = DeliveryFixture.Domains.Values.SelectMany(d => d).ToArray();

    [Fact]
    public async Task Every_existing_mailbox_receives_the_broadcast_once_and_unknown_addresses_are_error_stopped()
    {
        var (t, readers) = await TenantWithReaders("bulk", 2000, unknownEvery: 10);
        var unknown = readers.Where(r => r.Unknown).Select(r => r.Email).ToList();
        var broadcast = await Broadcast(t, "Extra edition: 2,000 readers");

        var view = await WaitFinished(t, broadcast);

        var existing = readers.Where(r => !r.Unknown).Select(r => r.Email).ToList();
        Assert.Equal((2000, existing.Count, unknown.Count, 0), (
            view.GetProperty("total").GetInt32(), view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32(), view.GetProperty("pending").GetInt32()));
        var journal = fixture.Providers.Journal;
        Assert.All(existing, e => Assert.Equal(1, journal.ForRecipient(e).Count(m => m.Subject == "Extra edition: 2,000 readers")));
        Assert.All(unknown, e => Assert.Empty(journal.ForRecipient(e)));
        var sources = journal.Accepted.Where(m => m.Subject == "Extra edition: 2,000 readers").Select(m => m.SourceIp.ToString()).Distinct().Order();
        var pool = (await (await fixture.Silo.AdminClient().GetAsync($"/v1/tenants/{Tenants[t]}")).Json()).GetProperty("ips").EnumerateArray().Select(ip => ip.GetString()!).Order();
        Assert.Equal(pool, sources);

        var stopped = await (await t.GetAsync($"/v1/magazines/news/subscribers/{unknown[0]}")).Json();
        Assert.Equal(("error-stopped", "userunknown"), (stopped.GetProperty("status").GetString(), stopped.GetProperty("statusReason").GetString()));
        var log = await (await t.GetAsync($"/v1/magazines/news/subscribers/{unknown[0]}/log")).Json();
        var attempt = Assert.Single(log.EnumerateArray());
        Assert.True(attempt.GetProperty("reply").GetProperty("code").GetInt32() >= 550);
        Assert.Contains("RCPT TO:<" + unknown[0] + ">", attempt.GetProperty("transcript").GetString(), StringComparison.Ordinal);
        var undeliverable = await (await t.GetAsync("/v1/magazines/news/undeliverable?limit=1000")).Json();
        Assert.Equal(unknown.Count, undeliverable.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Rate_limits_slow_the_lane_and_greylisted_readers_are_retried_without_failing_anyone()
    {
        var (t, readers) = await TenantWithReaders("paced", 120, unknownEvery: 0, domains: ["gmail.com", "docomo.ne.jp"]);
        // 60 Gmail readers over 3 IPs: each IP offers about 20 in its first burst, over the 8 in any 4 seconds allowed (a per-IP
        // limit on a compressed clock: the lane's retries run on the same clock as the limit).
        fixture.Providers["google"].SetBehaviour(Behaviour.RateLimit(8, TimeSpan.FromSeconds(4)));
        fixture.Providers["docomo"].SetBehaviour(Behaviour.Greylist(TimeSpan.FromSeconds(1)));
        try
        {
            var broadcast = await Broadcast(t, "paced issue");
            var view = await WaitFinished(t, broadcast);

            Assert.Equal((120, 120, 0), (view.GetProperty("total").GetInt32(), view.GetProperty("delivered").GetInt32(), view.GetProperty("errorStopped").GetInt32()));
            var journal = fixture.Providers.Journal;
            Assert.All(readers, r => Assert.Equal(1, journal.ForRecipient(r.Email).Count(m => m.Subject == "paced issue")));
            Assert.Contains(journal.Rejected, x => x.Recipient?.EndsWith("@docomo.ne.jp", StringComparison.Ordinal) == true && x.Code == 451);
            Assert.Contains(journal.Rejected, x => x.Provider == "google" && x.Code == 421);
            var greylisted = await (await t.GetAsync($"/v1/magazines/news/subscribers/{readers.First(r => r.Email.EndsWith("docomo.ne.jp", StringComparison.Ordinal)).Email}/log")).Json();
            // Greylisted first, delivered in the end (a retry that comes back a hair early is greylisted again).
            var results = greylisted.EnumerateArray().Select(a => a.GetProperty("result").GetString()!).ToList();
            Assert.Equal("delivered", results[^1]);
            Assert.True(results.Count >= 2 && results.SkipLast(1).All(r => r == "deferred"), string.Join(",", results));
        }
        finally
        {
            fixture.Providers["google"].ClearBehaviour();
            fixture.Providers["docomo"].ClearBehaviour();
        }
    }

    [Fact]
    public async Task Each_sending_ip_counts_today_what_the_providers_accepted_from_it()
    {
        var (t, _) = await TenantWithReaders("counted", 300, unknownEvery: 7);
        await WaitFinished(t, await Broadcast(t, "counted issue"));

        using var admin = fixture.Silo.AdminClient();
        var pool = (await (await admin.GetAsync($"/v1/tenants/{Tenants[t]}")).Json()).GetProperty("ips").EnumerateArray().Select(ip => ip.GetString()!).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var received = 0;
        foreach (var ip in pool)
        {
            // The pool's addresses are this tenant's alone, so all the simulator took from them is this broadcast.
            var fromIp = fixture.Providers.Journal.FromSource(ip).Count;
            var view = await (await admin.GetAsync($"/v1/ips/{ip}")).Json();
            Assert.Equal((ip, fromIp), (ip, view.GetProperty("sentToday").GetInt32()));
            var day = Assert.Single(view.GetProperty("daily").EnumerateArray());
            Assert.Equal((today, fromIp), (day.GetProperty("date").GetString(), day.GetProperty("sent").GetInt32()));
            received += fromIp;
        }

        Assert.Equal(300 - 300 / 7, received);
    }

    [Fact]
    public async Task A_tenant_without_sending_ips_is_refused_with_409_and_nothing_is_sent()
    {
        var tenantId = $"noips-{Guid.NewGuid():N}"[..20];
        using var t = await fixture.Silo.CreateTenant(tenantId, "news");
        const string reader = "noips-reader@gmail.com";
        fixture.Providers.ProviderFor("gmail.com")!.AddMailbox(reader);
        Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email = reader })).StatusCode);

        var refused = await (await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "from nowhere", textBody = "b" })).AssertProblem(HttpStatusCode.Conflict);
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("no sending IPs", detail, StringComparison.Ordinal);
        Assert.Contains($"PUT /v1/tenants/{tenantId}/ips", detail, StringComparison.Ordinal);
        Assert.Equal(0, (await (await t.GetAsync("/v1/broadcasts")).Json()).GetArrayLength());
        var test = await (await t.PostJson("/v1/test-deliveries", new { to = new[] { reader } })).AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("no sending IPs", test.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(fixture.Providers.Journal.ForRecipient(reader));

        // Once the operator gives it an address, the same request goes out from there.
        var octet = Interlocked.Add(ref _nextOctet, 3) - 3;
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips = new[] { $"127.0.0.{octet}" } })).StatusCode);
        var sent = await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "from nowhere", textBody = "b" });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await WaitFinished(t, (await sent.Json()).GetProperty("id").GetString()!);
        var got = Assert.Single(fixture.Providers.Journal.ForRecipient(reader));
        Assert.Equal($"127.0.0.{octet}", got.SourceIp.ToString());
    }

    [Fact]
    public async Task A_broadcast_with_bad_input_is_refused_and_nothing_is_sent()
    {
        var (t, _) = await TenantWithReaders("badcast", 3, unknownEvery: 0);
        await (await t.PostJson("/v1/magazines/nope/broadcasts", new { subject = "s", textBody = "b" })).AssertProblem(HttpStatusCode.NotFound);
        await (await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "", textBody = "b" })).AssertFieldProblem("subject");
        await (await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "s", textBody = " " })).AssertFieldProblem("textBody");
        await (await t.PostJson("/v1/magazines/news/broadcasts", new { subject = "Hi\r\nBcc: victim@example.com", textBody = "b" })).AssertFieldProblem("subject");

        var history = await (await t.GetAsync("/v1/broadcasts")).Json();
        Assert.Equal(0, history.GetArrayLength());
    }

    [Fact]
    public async Task Diagnosis_shows_a_domains_route_and_lanes_the_providers_seen_and_test_deliveries_report_the_providers_reply()
    {
        var (t, readers) = await TenantWithReaders("diag", 30, unknownEvery: 0, domains: ["live.jp", "gmail.com"]);
        await WaitFinished(t, await Broadcast(t, "diagnosis issue"));
        using var admin = fixture.Silo.AdminClient();
        var pool = (await (await admin.GetAsync($"/v1/tenants/{Tenants[t]}")).Json()).GetProperty("ips").EnumerateArray().Select(ip => ip.GetString()!).Order().ToList();

        var domain = await (await t.GetAsync("/v1/domains/LIVE.JP")).Json();
        Assert.Equal(("live.jp", "microsoft", "ok"), (domain.GetProperty("domain").GetString(), domain.GetProperty("provider").GetString(), domain.GetProperty("route").GetString()));
        var microsoftMx = Domain.Providers.ProviderCatalog.Default.Providers.Single(p => p.Id == "microsoft").ExampleMxHosts[0];
        Assert.Equal([microsoftMx], domain.GetProperty("mxHosts").EnumerateArray().Select(h => h.GetString()));
        var lanes = domain.GetProperty("lanes").EnumerateArray().ToList();
        Assert.Equal(pool, lanes.Select(l => l.GetProperty("sourceIp").GetString()!).Order());
        Assert.Contains(lanes, l => l.GetProperty("lastReplies").EnumerateArray().Any(r => r.GetProperty("code").GetInt32() == 250));

        var nowhere = await (await t.GetAsync("/v1/domains/no-such-domain.example")).Json();
        Assert.Equal(("permanent", 0), (nowhere.GetProperty("route").GetString(), nowhere.GetProperty("lanes").GetArrayLength()));
        await (await t.GetAsync("/v1/domains/not_a domain")).AssertFieldProblem("domain");

        var providers = await (await admin.GetAsync("/v1/providers")).Json();
        var microsoft = providers.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "microsoft");
        Assert.Contains("live.jp", microsoft.GetProperty("domainsSeen").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("hotmail.com", microsoft.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));
        Assert.True(pool.All(ip => microsoft.GetProperty("lanes").EnumerateArray().Any(l => l.GetProperty("sourceIp").GetString() == ip)));
        await (await t.GetAsync("/v1/providers")).AssertProblem(HttpStatusCode.Forbidden);

        // テスト送信: a seed that exists and one that does not, from the tenant's second IP.
        var seed = readers.First(r => r.Email.EndsWith("@gmail.com", StringComparison.Ordinal)).Email;
        var tested = await (await t.PostJson("/v1/test-deliveries", new { to = new[] { seed, "nobody-here@gmail.com" }, sourceIp = pool[1] })).Json();
        var results = tested.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("to").GetString()!);
        Assert.Equal((250, "delivered", pool[1]), (results[seed].GetProperty("reply").GetProperty("code").GetInt32(), results[seed].GetProperty("classification").GetString(), results[seed].GetProperty("sourceIp").GetString()));
        Assert.Equal((550, "userunknown"), (results["nobody-here@gmail.com"].GetProperty("reply").GetProperty("code").GetInt32(), results["nobody-here@gmail.com"].GetProperty("classification").GetString()));
        var received = Assert.Single(fixture.Providers.Journal.ForRecipient(seed), m => m.Subject == "Hikyaku test delivery");
        Assert.Equal(pool[1], received.SourceIp.ToString());

        await (await t.PostJson("/v1/test-deliveries", new { to = new[] { seed }, sourceIp = "127.0.0.250" })).AssertFieldProblem("sourceIp");
        await (await t.PostJson("/v1/test-deliveries", new { to = Array.Empty<string>() })).AssertFieldProblem("to");
        await (await t.PostJson("/v1/test-deliveries", new { to = new[] { "not an address" } })).AssertFieldProblem("to[0]");
    }

    [Fact]
    public async Task With_a_tenant_DKIM_key_every_message_carries_a_signature_that_verifies_against_the_published_record()
    {
        var (t, readers) = await TenantWithReaders("dkim", 12, unknownEvery: 0, domains: ["gmail.com", "icloud.com"]);
        var signingDomain = $"{Tenants[t]}.example";
        await (await t.PutAsJsonAsync("/v1/settings/dkim", new { domain = signingDomain, selector = "bad selector" })).AssertFieldProblem("selector");
        await (await t.PutAsJsonAsync("/v1/settings/dkim", new { domain = signingDomain, selector = "hk1", privateKeyPem = "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----" })).AssertFieldProblem("privateKeyPem");
        await (await t.GetAsync("/v1/settings/dkim")).AssertProblem(HttpStatusCode.NotFound);

        var set = await t.PutAsJsonAsync("/v1/settings/dkim", new { domain = signingDomain, selector = "hk1" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var dkim = await (await t.GetAsync("/v1/settings/dkim")).Json();
        Assert.Equal(($"hk1._domainkey.{signingDomain}", 2048), (dkim.GetProperty("dnsName").GetString(), dkim.GetProperty("keyBits").GetInt32()));
        Assert.DoesNotContain("PRIVATE KEY", dkim.GetRawText(), StringComparison.Ordinal);
        var record = dkim.GetProperty("dnsRecord").GetString()!;

        fixture.Providers.Journal.KeepContent = true;
        try
        {
            await WaitFinished(t, await Broadcast(t, "signed issue"));
        }
        finally
        {
            fixture.Providers.Journal.KeepContent = false;
        }

        var verifier = new MimeKit.Cryptography.DkimVerifier(new PublishedKey(signingDomain, "hk1", record));
        foreach (var (email, _) in readers)
        {
            var received = Assert.Single(fixture.Providers.Journal.ForRecipient(email), m => m.Subject == "signed issue");
            using var message = MimeKit.MimeMessage.Load(new MemoryStream(received.Content!));
            var index = message.Headers.IndexOf(MimeKit.HeaderId.DkimSignature);
            Assert.True(index >= 0, $"the message to {email} is not signed");
            Assert.Contains($"d={signingDomain}", message.Headers[index].Value.Replace(" ", ""), StringComparison.Ordinal);
            Assert.True(await verifier.VerifyAsync(message, message.Headers[index]), $"the signature on the message to {email} does not verify");
        }
    }

    /// <summary>The TXT record the tenant was told to publish, standing in for its DNS.</summary>
    private sealed class PublishedKey(string domain, string selector, string record) : MimeKit.Cryptography.DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string d, string s, CancellationToken cancellationToken = default) =>
            d == domain && s == selector ? GetPublicKey(record) : throw new ArgumentException($"no key published at {s}._domainkey.{d}");

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string d, string s, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, d, s, cancellationToken));
    }

    private async Task<(HttpClient Tenant, List<(string Email, bool Unknown)> Readers)> TenantWithReaders(string name, int count, int unknownEvery, string[]? domains = null)
    {
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..20];
        var t = await fixture.Silo.CreateTenant(tenantId, "news");
        Tenants[t] = tenantId;
        var octet = Interlocked.Add(ref _nextOctet, 3) - 3;
        using var admin = fixture.Silo.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/tenants/{tenantId}/ips", new { ips = new[] { $"127.0.0.{octet}", $"127.0.0.{octet + 1}", $"127.0.0.{octet + 2}" } })).StatusCode);

        domains ??= AllDomains;
        var readers = Enumerable.Range(0, count)
            .Select(i => ($"{name}{i:D5}@{domains[i % domains.Length]}", unknownEvery > 0 && i % unknownEvery == unknownEvery - 1))
            .ToList();
        foreach (var (email, unknown) in readers.Where(r => !r.Item2))
        {
            fixture.Providers.ProviderFor(email.Split('@')[1])!.AddMailbox(email);
        }

        var csv = new StringBuilder("email,name\n");
        readers.ForEach(r => csv.Append(r.Item1).Append(",Reader\n"));
        var accepted = await (await t.PostRaw("/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv")).Json();
        var importId = accepted.GetProperty("importId").GetString();
        var finished = await t.WaitImportFinished(importId!);
        Assert.Equal(count, finished.GetProperty("imported").GetInt32());
        return (t, readers);
    }

    private static async Task<string> Broadcast(HttpClient t, string subject)
    {
        var created = await t.PostJson("/v1/magazines/news/broadcasts", new { subject, textBody = "Hello, readers.\nこんにちは。\n" + new string('x', 2000) });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.Json()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls the broadcast until it finishes, checking at every poll that the counters add up.</summary>
    private static async Task<JsonElement> WaitFinished(HttpClient t, string broadcastId)
    {
        for (var i = 0; i < 900; i++)
        {
            var view = await (await t.GetAsync($"/v1/broadcasts/{broadcastId}")).Json();
            var bounced = view.GetProperty("bounced").EnumerateObject().Sum(p => p.Value.GetInt32());
            Assert.Equal(
                view.GetProperty("total").GetInt32(),
                view.GetProperty("pending").GetInt32() + view.GetProperty("delivered").GetInt32() + view.GetProperty("held").GetInt32()
                    + view.GetProperty("errorStopped").GetInt32() + bounced);
            if (view.GetProperty("state").GetString() == "finished")
            {
                return view;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"broadcast {broadcastId} did not finish");
    }
}
