using System.Text.RegularExpressions;
using Hikyaku.Domain.Blocks;
using Hikyaku.Domain.Providers;

namespace Hikyaku.Domain.Tests.Blocks;

/// <summary>
/// A block's delist kit: the provider's form with the IP filled in, what to do, and the text to paste (IP, window in UTC and
/// JST, the mail log lines) in Japanese and English, for every provider site, every DNS block list, and any other site.
/// </summary>
public sealed class DelistKitTests
{
    private const string Ip = "198.51.100.23";

    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 15, 0, TimeSpan.Zero);

    private static readonly Regex LogLineShape = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \S+ -> \S+ [A-Z-]+ \d{3}( .*)?$", RegexOptions.Multiline);

    private static DelistEvidence Unknown(int minutes, string recipient = "taro@hotmail.com") =>
        new(T0.AddMinutes(minutes), recipient, 550, "5.5.0", "Requested action not taken: mailbox unavailable", "rcpt");

    private static DelistKitInput Input(string site, string kind = DelistBlockKinds.Disguised, IReadOnlyList<DelistEvidence>? evidence = null,
        string ip = Ip, string? domain = "news.example.jp") =>
        new(site, ip, kind, T0, T0.AddMinutes(2), null, domain, evidence ?? [Unknown(0), Unknown(1, "hanako@outlook.jp")]);

    [Fact]
    public void Every_provider_site_gets_a_kit_of_its_own_with_a_way_to_ask_and_the_ip_in_both_texts()
    {
        var providers = ProviderCatalog.Default.Providers;
        Assert.NotEmpty(providers);
        foreach (var provider in providers)
        {
            var kit = DelistKits.Build(Input(provider.Id));

            Assert.False(kit.UsesDefault, $"{provider.Id} has no delist entry of its own");
            Assert.Equal(provider.Id, kit.EntryId);
            Assert.True(kit.Forms.Any(f => f.Role == DelistFormRoles.Request) || kit.Contact is not null,
                $"{provider.Id}: neither a request form nor a contact");
            Assert.NotEmpty(kit.Steps);
            Assert.NotEmpty(kit.Source);
            Assert.Contains(Ip, kit.Text.Ja);
            Assert.Contains(Ip, kit.Text.En);
        }
    }

    [Fact]
    public void The_file_has_no_site_the_provider_catalog_does_not_know()
    {
        var known = ProviderCatalog.Default.Providers.Select(p => p.Id).ToHashSet();
        var stray = DelistCatalog.Default.Sites.Select(s => s.Id).Where(id => !known.Contains(id)).ToArray();
        Assert.Empty(stray);
    }

    [Fact]
    public void A_site_without_an_entry_gets_the_default_contact_the_provider_kit()
    {
        var evidence = new[]
        {
            Unknown(0, "a@example-isp.jp"), Unknown(1, "b@example-isp.jp"), Unknown(2, "c@other.example"),
        };

        var kit = DelistKits.Build(Input("example-isp.net", evidence: evidence));

        Assert.True(kit.UsesDefault);
        Assert.Equal("default", kit.EntryId);
        Assert.Equal("example-isp.net", kit.SiteId);
        Assert.Empty(kit.Forms);
        Assert.NotNull(kit.Contact);
        // The postmaster of the domain most of the refused mail went to.
        Assert.Contains("postmaster@example-isp.jp", kit.Contact.En);
        Assert.Contains("postmaster@example-isp.jp", kit.Contact.Ja);
        Assert.Contains("Contact the provider", kit.Contact.En);
        Assert.Equal(3, kit.LogLines.Count);
        Assert.Contains(kit.LogLines[0], kit.Text.En);
    }

    [Fact]
    public void An_unknown_block_list_zone_gets_the_default_kit_and_still_names_the_zone()
    {
        var kit = DelistKits.Build(Input("dnsbl.example.net", DelistBlockKinds.Dnsbl, evidence: []));

        Assert.True(kit.UsesDefault);
        Assert.Contains("dnsbl.example.net", kit.Text.En);
        Assert.Contains("dnsbl.example.net", kit.Text.Ja);
        Assert.Contains("no replies were recorded", kit.Text.En);
    }

    [Theory]
    [InlineData("198.51.100.23", "198.51.100.23")]
    [InlineData("2001:db8::23", "2001%3Adb8%3A%3A23")]
    public void Every_page_that_takes_the_ip_gets_it_and_no_placeholder_is_left(string ip, string inUrl)
    {
        var catalog = DelistCatalog.Default;
        var takers = 0;
        var kits = catalog.Sites.Select(s => DelistKits.Build(Input(s.Id, ip: ip)))
            .Concat(catalog.Dnsbls.Select(d => DelistKits.Build(Input(d.Zones[0], DelistBlockKinds.Dnsbl, ip: ip))))
            .Append(DelistKits.Build(Input("example-isp.net", ip: ip)));
        foreach (var kit in kits)
        {
            foreach (var form in kit.Forms)
            {
                if (form.TakesIp)
                {
                    takers++;
                    Assert.Contains(inUrl, form.Url.AbsoluteUri);
                }

                Assert.DoesNotContain("{", form.Url.OriginalString);
            }

            var words = kit.Steps.Concat(kit.Answers.SelectMany(a => new[] { a.Question, a.Answer }))
                .Concat(kit.Forms.SelectMany(f => f.Fill.Append(f.Label)))
                .Append(kit.Text).Append(kit.Name)
                .Concat(kit.Contact is null ? [] : [kit.Contact])
                .SelectMany(t => new[] { t.Ja, t.En });
            foreach (var text in words)
            {
                Assert.DoesNotMatch(@"\{(ip|domain|zone|recipientDomain)\}", text);
            }
        }

        // Proofpoint (Apple), Spamhaus, SpamCop at least.
        Assert.True(takers >= 3, $"only {takers} pages took the IP");
    }

    [Fact]
    public void Apple_kit_opens_proofpoint_with_the_ip_filled_in()
    {
        var evidence = new[]
        {
            new DelistEvidence(T0, "jiro@icloud.com", 550, "5.7.0", $"Blocked - see https://ipcheck.proofpoint.com/?ip={Ip}", "rcpt"),
        };

        var kit = DelistKits.Build(Input("apple", DelistBlockKinds.Explicit, evidence));

        Assert.Equal(new Uri($"https://ipcheck.proofpoint.com/?ip={Ip}"), kit.Forms[0].Url);
        Assert.True(kit.Forms[0].TakesIp);
        Assert.NotNull(kit.Contact);
    }

    [Fact]
    public void Microsofts_form_that_fits_the_reply_comes_first()
    {
        var banned = new DelistEvidence(T0, "info@contoso.com", 550, "5.7.606",
            $"Access denied, banned sending IP [{Ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions.", "rcpt");
        var s3150 = new DelistEvidence(T0, "taro@hotmail.com", 550, "5.7.1",
            $"Unfortunately, messages from [{Ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", "rcpt");

        var portal = DelistKits.Build(Input("microsoft", DelistBlockKinds.Explicit, [banned]));
        var consumer = DelistKits.Build(Input("microsoft", DelistBlockKinds.Explicit, [s3150]));
        var disguised = DelistKits.Build(Input("microsoft"));

        Assert.Equal(new Uri("https://sender.office.com/"), portal.Forms[0].Url);
        Assert.Equal(new Uri("https://sender.office.com/"), portal.PrimaryForm?.Url);
        Assert.Equal(new Uri("https://olcsupport.office.com/"), consumer.PrimaryForm?.Url);
        Assert.Equal(new Uri("https://olcsupport.office.com/"), consumer.Forms[0].Url);
        Assert.Equal(new Uri("https://olcsupport.office.com/"), disguised.Forms[0].Url);
        Assert.Contains(disguised.Forms, f => f.Url == new Uri("https://sender.office.com/"));
    }

    [Fact]
    public void Gmail_kit_gives_the_answers_own_domain_and_not_infected_with_the_domain_filled_in()
    {
        var kit = DelistKits.Build(Input("google", DelistBlockKinds.Explicit));

        Assert.Equal(new Uri("https://support.google.com/mail/contact/bulk_send_new"), kit.Forms[0].Url);
        Assert.Contains(kit.Answers, a => a.Answer.En.Contains("our own domain, news.example.jp") && a.Answer.Ja.Contains("news.example.jp"));
        Assert.Contains(kit.Answers, a => a.Answer.En.Contains("not infected") && a.Answer.Ja.Contains("感染していません"));
    }

    [Fact]
    public void Carriers_without_a_public_form_get_contact_wording_and_no_request_form()
    {
        foreach (var site in new[] { "docomo", "au", "softbank", "yahoo-jp" })
        {
            var kit = DelistKits.Build(Input(site));

            Assert.DoesNotContain(kit.Forms, f => f.Role == DelistFormRoles.Request);
            Assert.Null(kit.PrimaryForm);
            Assert.NotNull(kit.Contact);
            Assert.Contains(Ip, kit.Contact.Ja);
            Assert.Contains("news.example.jp", kit.Contact.En);
        }
    }

    [Fact]
    public void A_mail_log_line_has_the_fixed_greppable_shape()
    {
        var line = DelistKits.LogLine(
            new DelistEvidence(T0, "taro@hotmail.com", 550, "5.5.0", "Requested action not taken: mailbox unavailable", "rcpt"), "127.0.0.3");

        Assert.Equal("2026-12-03T10:15:00Z 127.0.0.3 -> taro@hotmail.com RCPT 550 5.5.0 Requested action not taken: mailbox unavailable", line);
    }

    [Fact]
    public void A_log_line_is_one_line_in_utc_whatever_the_reply_or_the_offset_it_was_recorded_with()
    {
        var at = new DateTimeOffset(2026, 12, 4, 1, 15, 30, TimeSpan.FromHours(9)).AddTicks(1234);
        var forged = new DelistEvidence(at, "taro@docomo.ne.jp", 550, "5.1.1",
            "5.1.1 <taro@docomo.ne.jp>: Recipient address rejected:\r\n User unknown\n2026-12-03T00:00:00Z 127.0.0.9 -> x@y RCPT 250 ok", "data");
        var noEnhanced = new DelistEvidence(at, "a@b.example", 554, null, "Transaction failed", "data");

        var line = DelistKits.LogLine(forged, "127.0.0.3");

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.StartsWith("2026-12-03T16:15:30Z 127.0.0.3 -> taro@docomo.ne.jp DATA 550 5.1.1 <taro@docomo.ne.jp>: Recipient address rejected: User unknown", line);
        Assert.Equal("2026-12-03T16:15:30Z 127.0.0.3 -> a@b.example DATA 554 Transaction failed", DelistKits.LogLine(noEnhanced, "127.0.0.3"));
    }

    [Fact]
    public void Both_languages_carry_the_same_log_lines_in_the_same_order()
    {
        var evidence = Enumerable.Range(0, 7).Select(i => Unknown(i, $"r{i}@hotmail.com")).Reverse().ToArray();

        var kit = DelistKits.Build(Input("microsoft", evidence: evidence));

        var ja = LogLineShape.Matches(kit.Text.Ja).Select(m => m.Value.TrimEnd('\r')).ToArray();
        var en = LogLineShape.Matches(kit.Text.En).Select(m => m.Value.TrimEnd('\r')).ToArray();
        Assert.Equal(7, kit.LogLines.Count);
        Assert.Equal(kit.LogLines, ja);
        Assert.Equal(kit.LogLines, en);
        Assert.Equal($"2026-12-03T10:15:00Z {Ip} -> r0@hotmail.com RCPT 550 5.5.0 Requested action not taken: mailbox unavailable", kit.LogLines[0]);
        Assert.EndsWith("r6@hotmail.com RCPT 550 5.5.0 Requested action not taken: mailbox unavailable", kit.LogLines[^1]);
    }

    [Fact]
    public void The_window_is_given_in_utc_and_in_jst_across_the_date_boundary()
    {
        var since = new DateTimeOffset(2026, 12, 3, 16, 30, 0, TimeSpan.Zero);   // 01:30 on the 4th in Tokyo
        var detected = new DateTimeOffset(2026, 12, 3, 14, 59, 59, TimeSpan.Zero).AddHours(2); // 16:59:59Z
        var until = new DateTimeOffset(2026, 12, 31, 15, 0, 0, TimeSpan.Zero);   // New Year's midnight in Tokyo
        var input = new DelistKitInput("microsoft", Ip, DelistBlockKinds.Explicit, since, detected, until, "news.example.jp", [Unknown(0)]);

        var kit = DelistKits.Build(input);

        Assert.Equal(new DateTime(2026, 12, 4, 1, 30, 0), kit.Window.SinceJst.DateTime);
        Assert.Equal(TimeSpan.FromHours(9), kit.Window.SinceJst.Offset);
        Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0), kit.Window.UntilJst!.Value.DateTime);
        foreach (var text in new[] { kit.Text.Ja, kit.Text.En })
        {
            Assert.Contains("2026-12-03T16:30:00Z", text);
            Assert.Contains("2026-12-04 01:30:00 JST", text);
            Assert.Contains("2026-12-03T16:59:59Z", text);
            Assert.Contains("2026-12-04 01:59:59 JST", text);
            Assert.Contains("2026-12-31T15:00:00Z", text);
            Assert.Contains("2027-01-01 00:00:00 JST", text);
        }

        Assert.Equal("2026-12-04 01:30:00 JST", DelistKits.Jst(new DateTimeOffset(2026, 12, 3, 18, 30, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void An_ongoing_block_says_so_in_both_languages()
    {
        var kit = DelistKits.Build(Input("microsoft"));

        Assert.Null(kit.Window.Until);
        Assert.Contains("Until:    ongoing", kit.Text.En);
        Assert.Contains("終了: 継続中", kit.Text.Ja);
    }

    [Fact]
    public void The_lines_are_capped_at_twenty_newest_last_and_the_omitted_ones_counted()
    {
        var rng = new Random(12);
        var evidence = Enumerable.Range(0, 35).Select(i => Unknown(i, $"r{i:00}@hotmail.com")).OrderBy(_ => rng.Next()).ToArray();

        var kit = DelistKits.Build(Input("microsoft", evidence: evidence));

        Assert.Equal(20, kit.LogLines.Count);
        Assert.Equal(35, kit.TotalLines);
        Assert.Equal(15, kit.OmittedLines);
        Assert.Contains("-> r15@hotmail.com ", kit.LogLines[0]);
        Assert.Contains("-> r34@hotmail.com ", kit.LogLines[^1]);
        Assert.DoesNotContain(kit.LogLines, l => l.Contains("-> r14@hotmail.com "));
        Assert.Contains("the newest 20 of 35 lines; 15 earlier lines omitted", kit.Text.En);
        Assert.Contains("古い 15 行は省略", kit.Text.Ja);
        Assert.DoesNotContain("r14@hotmail.com", kit.Text.En);
        Assert.DoesNotContain("r14@hotmail.com", kit.Text.Ja);
    }

    [Fact]
    public void The_cap_is_configurable_and_nothing_is_omitted_under_it()
    {
        var evidence = Enumerable.Range(0, 8).Select(i => Unknown(i, $"r{i}@hotmail.com")).ToArray();

        var capped = DelistKits.Build(Input("microsoft", evidence: evidence) with { MaxLines = 3 });
        var whole = DelistKits.Build(Input("microsoft", evidence: evidence));

        Assert.Equal(["r5", "r6", "r7"], capped.LogLines.Select(l => Regex.Match(l, @"-> (r\d)@").Groups[1].Value));
        Assert.Equal(5, capped.OmittedLines);
        Assert.Contains("5 earlier lines omitted", capped.Text.En);
        Assert.Equal(0, whole.OmittedLines);
        Assert.Equal(8, whole.LogLines.Count);
        Assert.Contains("all 8 lines", whole.Text.En);
        Assert.Contains("全 8 行", whole.Text.Ja);
        Assert.DoesNotContain("omitted", whole.Text.En);
    }

    [Fact]
    public void A_dnsbl_listing_gets_the_lists_own_kit_by_zone()
    {
        var zen = DelistKits.Build(Input("zen.spamhaus.org", DelistBlockKinds.Dnsbl, evidence: []));
        var sub = DelistKits.Build(Input("microsoft", DelistBlockKinds.Dnsbl, evidence: []) with { DnsblZone = "dbl.spamhaus.org." });
        var barracuda = DelistKits.Build(Input("b.barracudacentral.org", DelistBlockKinds.Dnsbl, evidence: []));

        Assert.Equal("spamhaus", zen.EntryId);
        Assert.Equal(new Uri($"https://check.spamhaus.org/results/?query={Ip}"), zen.Forms[0].Url);
        Assert.Contains("Block list: zen.spamhaus.org", zen.Text.En);
        Assert.Contains("DNS ブロックリスト zen.spamhaus.org", zen.Text.Ja);
        Assert.Equal("spamhaus", sub.EntryId);
        Assert.Equal("barracuda", barracuda.EntryId);
        Assert.False(zen.TestSendFirst);
    }

    [Fact]
    public void A_provider_refusal_that_cites_a_block_list_adds_that_lists_pages()
    {
        var evidence = new[]
        {
            new DelistEvidence(T0, "x@example-isp.jp", 554, "5.7.1", $"Service unavailable; Client host [{Ip}] blocked using bl.spamcop.net", "rcpt"),
        };

        var kit = DelistKits.Build(Input("example-isp.net", DelistBlockKinds.Explicit, evidence));

        Assert.Contains(kit.Forms, f => f.Url == new Uri($"https://www.spamcop.net/bl.shtml?{Ip}"));
        Assert.Contains(kit.Steps, s => s.En.Contains("SpamCop") && s.Ja.Contains(Ip));
        Assert.DoesNotContain(kit.Forms, f => f.Url.Host.Contains("spamhaus"));
    }

    [Fact]
    public void The_ip_is_written_in_its_canonical_form()
    {
        var kit = DelistKits.Build(Input("apple", ip: " 2001:0DB8:0000::0023 "));

        Assert.Equal("2001:db8::23", kit.SourceIp);
        Assert.Contains("Sending IP: 2001:db8::23", kit.Text.En);
    }

    [Fact]
    public void Without_a_sending_domain_the_text_says_so_instead_of_leaving_a_blank()
    {
        var kit = DelistKits.Build(Input("google", domain: null));

        Assert.Null(kit.SendingDomain);
        Assert.Contains("Sending domain: (not given)", kit.Text.En);
        Assert.Contains("送信ドメイン: (未記入)", kit.Text.Ja);
        Assert.Contains(kit.Answers, a => a.Answer.En.Contains("our own domain, our sending domain"));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_error()
    {
        Assert.Contains("not an IP address", Assert.Throws<ArgumentException>(() => DelistKits.Build(Input("microsoft", ip: "mx.example.jp"))).Message);
        Assert.Contains("not one of", Assert.Throws<ArgumentException>(() => DelistKits.Build(Input("microsoft", kind: "blocked"))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DelistKits.Build(Input("microsoft") with { MaxLines = 0 }));
        Assert.Contains("ends", Assert.Throws<ArgumentException>(() => DelistKits.Build(Input("microsoft") with { Until = T0.AddHours(-1) })).Message);
        Assert.Throws<ArgumentException>(() => DelistKits.Build(Input(" ")));
    }
    [Fact]
    public void The_kit_carries_the_smtp_dialogues_behind_its_newest_refusals_in_both_texts_without_control_characters()
    {
        string Dialogue(int n) => $"* connected to mx{n}.hotmail.com:25\nS: 220 ready\nC: MAIL FROM:<bounce@news.example.jp>\nS: 250 OK\nC: RCPT TO:<r{n}@hotmail.com>\nS: 550 5.5.0 Requested action not taken\u001b[2J: mailbox unavailable";
        var evidence = Enumerable.Range(0, 5).Select(n => Unknown(n, $"r{n}@hotmail.com") with { Transcript = Dialogue(n) })
            .Append(Unknown(9, "none@hotmail.com"))
            .ToList();
        var kit = DelistKits.Build(Input("microsoft", evidence: evidence));

        // The newest three that have one (the newest line has none), oldest of them first, each under its log line.
        Assert.Equal(["r2@hotmail.com", "r3@hotmail.com", "r4@hotmail.com"], kit.Transcripts!.Select(t => t.LogLine.Split(' ')[3]));
        var newest = kit.Transcripts![^1];
        Assert.Equal(kit.LogLines[^2], newest.LogLine);
        Assert.Equal("C: RCPT TO:<r4@hotmail.com>", newest.Lines[4]);
        Assert.DoesNotContain(newest.Lines, l => l.Any(char.IsControl));
        foreach (var text in new[] { kit.Text.En, kit.Text.Ja })
        {
            Assert.Contains("  C: RCPT TO:<r4@hotmail.com>", text, StringComparison.Ordinal);
            Assert.DoesNotContain("r1@hotmail.com>", text, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', text);
        }

        // Without transcripts the kit says nothing of them.
        var plain = DelistKits.Build(Input("microsoft"));
        Assert.Empty(plain.Transcripts!);
        Assert.DoesNotContain("SMTP", plain.Text.En, StringComparison.Ordinal);
    }
}
