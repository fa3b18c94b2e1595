using System.Text;
using System.Text.RegularExpressions;
using Hikyaku.Contracts.Model;
using Hikyaku.Intake.Processing;
using Hikyaku.Testing;
using MimeKit;
using Xunit.Abstractions;
using static Hikyaku.Intake.Tests.Reports;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.Intake.Tests;

/// <summary>
/// The real bounces of ../shared/corpus/bounces (read in place, never copied), each re-addressed as if it had been
/// sent back to a reader's return path, taken in as a polled mailbox would take it: every one must find its
/// reader, and what it does to the reader must follow the reference label's kind.
/// </summary>
public sealed class CorpusIntakeTests(ITestOutputHelper output)
{
    private const double AgreementFloor = 0.95;

    [SkippableFact]
    public async Task Real_bounces_sent_back_to_a_return_path_reach_their_reader_and_act_as_their_label_says()
    {
        var dir = SharedCorpus.RequireBounces();
        var labels = File.ReadLines(Path.Combine(dir, "labels.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (Reason: f[1], Hard: f[4] == "yes"));
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var disagreements = new List<string>();
        var paths = new List<Domain.Bounces.ReturnPath>();
        foreach (var (file, label) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var recorder = new RecordingRecorder();
            var outcome = await Processor(recorder).ProcessAsync(Readdress(File.ReadAllBytes(Path.Combine(dir, file))), envelope: null, "imap", CancellationToken.None);
            var notice = recorder.Recorded.SingleOrDefault().Notice;
            paths.AddRange(recorder.Recorded.Select(r => r.Path));
            var got = outcome == IntakeOutcome.Recorded ? $"{notice!.Kind}:{(notice.Action == "address-dead" ? "stop" : "keep")}" : outcome.ToString();
            // A delay warning (the DSN's own "Action: delayed") is recorded as what it is, never as a failure (issue 14).
            var delay = label.Reason == "expired" && System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(Path.Combine(dir, file)), @"(?im)^Action:\s*delayed");
            var want = label.Reason switch
            {
                _ when delay => "delayed:keep",
                "feedback" => "complaint:keep",
                "vacation" or "delivered" => nameof(IntakeOutcome.NothingToRecord),
                _ => label.Hard ? "bounce:stop" : "bounce:keep",
            };
            outcomes[$"{want} -> {got}"] = outcomes.GetValueOrDefault($"{want} -> {got}") + 1;
            if (got != want)
            {
                disagreements.Add($"{file} ({label.Reason}): want {want}, got {got}");
            }
        }

        foreach (var (pair, count) in outcomes)
        {
            output.WriteLine($"{count,4}  {pair}");
        }

        disagreements.ForEach(output.WriteLine);
        Assert.DoesNotContain(outcomes.Keys, k => k.EndsWith(nameof(IntakeOutcome.NoReturnPath), StringComparison.Ordinal));
        var agreement = 1 - (double)disagreements.Count / labels.Count;
        Assert.True(agreement >= AgreementFloor, $"agreement {agreement:P1} below {AgreementFloor:P0}:\n{string.Join('\n', disagreements)}");
        Assert.All(paths, p => Assert.Equal(Taro, p));
    }

    [SkippableFact]
    public async Task A_real_DSN_to_a_shared_mailbox_finds_its_reader_in_the_returned_original()
    {
        var dir = SharedCorpus.RequireBounces();
        var withOriginal = 0;
        var missed = new List<string>();
        foreach (var file in Directory.GetFiles(dir, "*.eml").Order(StringComparer.Ordinal))
        {
            var message = MimeMessage.Load(file);
            if (message.BodyParts.OfType<MessagePart>().FirstOrDefault() is not { Message: { } original } || original.Headers.Count == 0)
            {
                continue;
            }

            // The original as we would have sent it: our return path, as the delivering MTA recorded it.
            withOriginal++;
            original.Headers.Remove(HeaderId.ReturnPath);
            original.Headers.Insert(0, new Header(HeaderId.ReturnPath, $"<{ReturnPathOf(Taro)}>"));
            using var stream = new MemoryStream();
            message.WriteTo(stream);
            var recorder = new RecordingRecorder();
            var outcome = await Processor(recorder).ProcessAsync(stream.ToArray(), envelope: null, "imap", CancellationToken.None);
            if (outcome == IntakeOutcome.NoReturnPath)
            {
                missed.Add(Path.GetFileName(file));
            }
        }

        output.WriteLine($"{withOriginal} reports return the original; {missed.Count} missed: {string.Join(' ', missed)}");
        Assert.True(withOriginal >= 50, $"only {withOriginal} reports with a returned original");
        Assert.Empty(missed);
    }

    /// <summary>The report as if its original had been sent with Taro's return path: the address it came back to is replaced.</summary>
    private static byte[] Readdress(byte[] raw)
    {
        var message = MimeMessage.Load(new MemoryStream(raw));
        var to = message.Headers["Delivered-To"] is { Length: > 0 } delivered ? delivered : message.To.Mailboxes.FirstOrDefault()?.Address;
        var text = Encoding.Latin1.GetString(raw);
        var verp = ReturnPathOf(Taro);
        text = string.IsNullOrWhiteSpace(to)
            ? "To: " + verp + "\r\n" + text
            : Regex.Replace(text, Regex.Escape(to.Trim().Trim('<', '>')), verp, RegexOptions.IgnoreCase);
        return Encoding.Latin1.GetBytes(text);
    }
}
