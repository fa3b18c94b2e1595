using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hikyaku.Domain.Blocks;

/// <summary>
/// Builds the delist kit of a block (<c>GET /v1/blocks/{id}/delist-kit</c>): the provider's forms with the IP filled in,
/// the steps and answers, and the text to paste, in Japanese and English, from <see cref="DelistCatalog"/>.
/// </summary>
public static class DelistKits
{
    private static readonly LocalizedText UnknownDomain = new("当方の送信ドメイン", "our sending domain");
    private static readonly LocalizedText UnknownRecipientDomain = new("受信者のドメイン", "the recipient's domain");

    /// <summary>The kit for a block, from the catalog shipped with Hikyaku.</summary>
    public static DelistKit Build(DelistKitInput input) => Build(input, DelistCatalog.Default);

    /// <summary>The kit for a block, from <paramref name="catalog"/>. Bad input (an IP that is not one, an unknown kind, a window
    /// that ends before it starts, a cap below one) is refused with <see cref="ArgumentException"/>.</summary>
    public static DelistKit Build(DelistKitInput input, DelistCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(catalog);
        var ip = NormalizeIp(input.SourceIp);
        if (!DelistBlockKinds.All.Contains(input.Kind))
        {
            throw new ArgumentException($"Block kind '{input.Kind}' is not one of: {string.Join(", ", DelistBlockKinds.All)}.", nameof(input));
        }

        if (string.IsNullOrWhiteSpace(input.SiteId))
        {
            throw new ArgumentException("A delist kit needs the site (or the DNS block list zone).", nameof(input));
        }

        if (input.MaxLines < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.MaxLines, "A delist kit carries at least one log line.");
        }

        if (input.Until is { } until && until < input.Since)
        {
            throw new ArgumentException($"The block's window ends ({Utc(until)}) before it starts ({Utc(input.Since)}).", nameof(input));
        }

        var evidence = input.Evidence ?? [];
        var zone = input.DnsblZone ?? (input.Kind == DelistBlockKinds.Dnsbl ? input.SiteId : null);
        var own = input.Kind == DelistBlockKinds.Dnsbl && zone is not null ? catalog.FindDnsbl(zone) : catalog.FindSite(input.SiteId);
        var entry = own ?? catalog.Fallback;

        var values = new Placeholders(
            ip,
            string.IsNullOrWhiteSpace(input.SendingDomain) ? null : input.SendingDomain.Trim(),
            zone ?? string.Empty,
            MostCommonRecipientDomain(evidence));

        // Oldest first, so the newest is last; OrderBy is stable, so replies at the same instant keep their order.
        var ordered = evidence.OrderBy(e => e.At).ToArray();
        var lines = ordered.Select(e => LogLine(e, ip)).ToArray();
        var kept = lines.Skip(Math.Max(0, lines.Length - input.MaxLines)).ToArray();
        var omitted = lines.Length - kept.Length;
        // The dialogues behind the newest refusals, oldest of them first, as the provider's support asks for them.
        var transcripts = ordered.Select((e, i) => (e, line: lines[i]))
            .Where(x => !string.IsNullOrWhiteSpace(x.e.Transcript))
            .TakeLast(DelistKit.MaxTranscripts)
            .Select(x => new DelistTranscript(x.line, TranscriptLines(x.e.Transcript!)))
            .ToArray();

        var texts = evidence.Select(e => $"{e.Enhanced} {e.Text}").ToArray();
        var forms = entry.Forms
            .OrderByDescending(f => f.PreferWhen is not null && texts.Any(t => f.PreferWhen.IsMatch(t)))
            .Select(f => Form(f, values))
            .ToList();
        var steps = entry.Steps.Select(s => values.Fill(s)).ToList();

        // A provider's refusal that names a DNS block list ("blocked using zen.spamhaus.org") is lifted there too.
        if (input.Kind != DelistBlockKinds.Dnsbl)
        {
            foreach (var list in catalog.Dnsbls.Where(d => d.Domain is not null && texts.Any(t => t.Contains(d.Domain, StringComparison.OrdinalIgnoreCase))))
            {
                forms.AddRange(list.Forms.Select(f => Form(f, values)));
                steps.Insert(0, new LocalizedText(
                    $"応答が {list.Name.Ja} を挙げています。{ip} の掲載をそちらでも確かめ、解除を依頼してください(ページは下に)。",
                    $"The replies cite {list.Name.En}: check {ip} there too and ask for its removal (its pages are listed)."));
            }
        }

        var window = new DelistWindow(input.Since, input.DetectedAt, input.Until);
        var kindText = values.Fill(catalog.Kinds[input.Kind]);
        var text = new LocalizedText(
            JapaneseText(entry, values, kindText.Ja, window, kept, lines.Length, omitted, values.Fill(catalog.Closing).Ja, input.Kind, transcripts),
            EnglishText(entry, values, kindText.En, window, kept, lines.Length, omitted, values.Fill(catalog.Closing).En, input.Kind, transcripts));

        return new DelistKit(
            input.SiteId, entry.Id, own is null, input.Kind, ip, values.Domain, entry.Name, forms,
            entry.Contact is null ? null : values.Fill(entry.Contact),
            steps,
            entry.Answers.Select(a => new DelistAnswer(values.Fill(a.Question), values.Fill(a.Answer))).ToArray(),
            entry.TypicalTime, entry.TestSendFirst, window, kept, lines.Length, omitted, text, entry.Source, transcripts);
    }

    /// <summary>A transcript's lines with control characters dropped (a server's reply cannot forge a line of the kit).</summary>
    private static IReadOnlyList<string> TranscriptLines(string transcript) =>
        transcript.Split('\n').Select(l => OneLine(l)).Where(l => l.Length > 0).ToArray();

    private static void AppendTranscripts(StringBuilder b, IReadOnlyList<DelistTranscript> transcripts, string heading)
    {
        if (transcripts.Count == 0)
        {
            return;
        }

        b.AppendLine(heading);
        foreach (var t in transcripts)
        {
            b.Append("# ").AppendLine(t.LogLine);
            foreach (var line in t.Lines)
            {
                b.Append("  ").AppendLine(line);
            }
        }
    }

    /// <summary>
    /// One reply as a mail log line, the same in both languages and easy to grep:
    /// <c>2026-12-03T10:15:00Z 127.0.0.3 -&gt; taro@hotmail.com RCPT 550 5.5.0 Requested action not taken: mailbox unavailable</c>.
    /// A reply of several lines is joined into one; control characters are dropped, so a reply cannot forge a line.
    /// </summary>
    public static string LogLine(DelistEvidence evidence, string sourceIp)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var text = OneLine(evidence.Text);
        var enhanced = OneLine(evidence.Enhanced ?? string.Empty);
        var stage = OneLine(evidence.Stage).ToUpperInvariant();
        var line = new StringBuilder()
            .Append(Utc(evidence.At)).Append(' ')
            .Append(OneLine(sourceIp)).Append(" -> ")
            .Append(OneLine(evidence.Recipient)).Append(' ')
            .Append(stage.Length == 0 ? "-" : stage).Append(' ')
            .Append(evidence.Code.ToString(CultureInfo.InvariantCulture));
        // Some servers repeat the enhanced code at the start of the text; the line shows it once.
        if (enhanced.Length > 0 && !text.StartsWith(enhanced + " ", StringComparison.Ordinal) && text != enhanced)
        {
            line.Append(' ').Append(enhanced);
        }

        if (text.Length > 0)
        {
            line.Append(' ').Append(text);
        }

        return line.ToString();
    }

    /// <summary>An instant in UTC as the kit writes it: <c>2026-12-03T10:15:00Z</c> (whole seconds).</summary>
    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant in Japan time as the kit writes it: <c>2026-12-03 19:15:00 JST</c>.</summary>
    public static string Jst(DateTimeOffset at) =>
        at.ToOffset(DelistWindow.JstOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " JST";

    private static DelistForm Form(DelistFormTemplate f, Placeholders values) =>
        new(values.Fill(f.Label), f.UrlFor(values.Ip), f.Role, f.TakesIp, f.Fill.Select(values.Fill).ToArray());

    private static string EnglishText(
        DelistEntry entry, Placeholders values, string kindText, DelistWindow window, IReadOnlyList<string> lines, int total, int omitted,
        string closing, string kind, IReadOnlyList<DelistTranscript> transcripts)
    {
        var b = new StringBuilder();
        b.Append("Request to lift a block: ").AppendLine(entry.Name.En);
        b.Append("Sending IP: ").AppendLine(values.Ip);
        b.Append("Sending domain: ").AppendLine(values.Domain ?? "(not given)");
        if (kind == DelistBlockKinds.Dnsbl && values.Zone.Length > 0)
        {
            b.Append("Block list: ").AppendLine(values.Zone);
        }

        b.Append("What happened: ").AppendLine(kindText);
        b.Append("Since:    ").Append(Utc(window.Since)).Append(" (").Append(Jst(window.Since)).AppendLine(")");
        b.Append("Detected: ").Append(Utc(window.DetectedAt)).Append(" (").Append(Jst(window.DetectedAt)).AppendLine(")");
        b.Append("Until:    ").AppendLine(window.Until is { } u ? $"{Utc(u)} ({Jst(u)})" : "ongoing");
        if (total == 0)
        {
            b.AppendLine("Mail log: no replies were recorded.");
        }
        else
        {
            b.Append("Mail log (UTC, oldest first): ")
                .Append(omitted == 0 ? $"all {total} lines" : $"the newest {lines.Count} of {total} lines; {omitted} earlier lines omitted")
                .AppendLine();
            foreach (var line in lines)
            {
                b.AppendLine(line);
            }
        }

        AppendTranscripts(b, transcripts, "SMTP transcripts of the newest refusals:");
        b.Append(closing);
        return b.ToString();
    }

    private static string JapaneseText(
        DelistEntry entry, Placeholders values, string kindText, DelistWindow window, IReadOnlyList<string> lines, int total, int omitted,
        string closing, string kind, IReadOnlyList<DelistTranscript> transcripts)
    {
        var b = new StringBuilder();
        b.Append("ブロック解除のお願い: ").AppendLine(entry.Name.Ja);
        b.Append("送信元 IP アドレス: ").AppendLine(values.Ip);
        b.Append("送信ドメイン: ").AppendLine(values.Domain ?? "(未記入)");
        if (kind == DelistBlockKinds.Dnsbl && values.Zone.Length > 0)
        {
            b.Append("ブロックリスト: ").AppendLine(values.Zone);
        }

        b.Append("状況: ").AppendLine(kindText);
        b.Append("開始: ").Append(Jst(window.Since)).Append('(').Append(Utc(window.Since)).AppendLine(")");
        b.Append("検知: ").Append(Jst(window.DetectedAt)).Append('(').Append(Utc(window.DetectedAt)).AppendLine(")");
        b.Append("終了: ").AppendLine(window.Until is { } u ? $"{Jst(u)}({Utc(u)})" : "継続中");
        if (total == 0)
        {
            b.AppendLine("メールログ: 記録された応答はありません。");
        }
        else
        {
            b.Append("メールログ(UTC、古い順): ")
                .Append(omitted == 0 ? $"全 {total} 行" : $"全 {total} 行のうち新しい {lines.Count} 行(古い {omitted} 行は省略)")
                .AppendLine();
            foreach (var line in lines)
            {
                b.AppendLine(line);
            }
        }

        AppendTranscripts(b, transcripts, "SMTP 送受信記録(新しい拒否の分):");
        b.Append(closing);
        return b.ToString();
    }

    private static string NormalizeIp(string? sourceIp)
    {
        if (string.IsNullOrWhiteSpace(sourceIp) || !IPAddress.TryParse(sourceIp.Trim(), out var address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"'{sourceIp}' is not an IP address.", nameof(sourceIp));
        }

        return address.ToString();
    }

    private static string? MostCommonRecipientDomain(IEnumerable<DelistEvidence> evidence) =>
        evidence
            .Select(e => e.Recipient)
            .Where(r => r is not null && r.LastIndexOf('@') is var at && at > 0 && at < r.Length - 1)
            .Select(r => r[(r.LastIndexOf('@') + 1)..].Trim().ToLowerInvariant())
            .GroupBy(d => d, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();

    private static string OneLine(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var b = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = b.Length > 0;
                continue;
            }

            if (space)
            {
                b.Append(' ');
                space = false;
            }

            b.Append(c);
        }

        return b.ToString();
    }

    private sealed record Placeholders(string Ip, string? Domain, string Zone, string? RecipientDomain)
    {
        public LocalizedText Fill(LocalizedText text) => text.Map(Fill);

        private string Fill(string text, string language) => text
            .Replace("{ip}", Ip, StringComparison.Ordinal)
            .Replace("{domain}", Domain ?? UnknownDomain.For(language), StringComparison.Ordinal)
            .Replace("{zone}", Zone, StringComparison.Ordinal)
            .Replace("{recipientDomain}", RecipientDomain ?? UnknownRecipientDomain.For(language), StringComparison.Ordinal);
    }
}
