using System.Diagnostics;
using Hikyaku.Bounces;

namespace Hikyaku.Benchmarks.Bounces;

/// <summary>Replies classified per second on one thread, and bytes allocated per reply (target ≥ 200,000/s).</summary>
public sealed class ClassifyRepliesScenario : IBenchmarkScenario
{
    // A mix like a sending day: mostly plain unknowns and full boxes, some provider blocks and rate limits.
    private static readonly (string Reply, SmtpStage Stage)[] Mix =
    [
        ("550 5.1.1 <a@example.jp>: Recipient address rejected: User unknown in local recipient table", SmtpStage.Rcpt),
        ("550-5.1.1 The email account that you tried to reach does not exist. Please try\n550 5.1.1 double-checking the recipient's email address", SmtpStage.Rcpt),
        ("452 4.2.2 The email account that you tried to reach is over quota.", SmtpStage.Rcpt),
        ("552 5.2.2 Mailbox full", SmtpStage.Rcpt),
        ("550 5.7.1 Unfortunately, messages from [192.0.2.9] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).", SmtpStage.Rcpt),
        ("550 5.7.606 Access denied, banned sending IP [192.0.2.9].", SmtpStage.Connect),
        ("421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address.", SmtpStage.Data),
        ("421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to unexpected volume or user complaints", SmtpStage.Connect),
        ("554 5.7.1 [CS01] Message rejected due to local policy.", SmtpStage.Data),
        ("550 Unknown user kijitora@docomo.ne.jp", SmtpStage.Data),
        ("550 <kijitora@ezweb.ne.jp>: User unknown", SmtpStage.Rcpt),
        ("554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org", SmtpStage.Rcpt),
        ("450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.9]", SmtpStage.Rcpt),
        ("421 4.7.0 Too many concurrent SMTP connections from this IP", SmtpStage.Connect),
        ("451 4.3.0 Temporary local problem, please try again", SmtpStage.Rcpt),
        ("554 5.0.0 Nyaan", SmtpStage.Rcpt),
    ];

    public string Name => "classify-replies";

    public string Description => "SMTP replies classified per second, one thread (--seconds N, default 5)";

    public Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args)
    {
        if (!WorkstationGc.IsCurrent && !WorkstationGc.IsChild)
        {
            return WorkstationGc.RunInChildAsync(Name, args);
        }

        var seconds = BenchmarkArgs.Int(args, "--seconds", 5);
        var replies = Mix.Select(m => SmtpReply.Parse(m.Reply, m.Stage)).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            ReplyClassifier.Classify(replies[i % replies.Length]); // warm up: tiered JIT, rule loading
        }

        var count = 0L;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = BenchmarkArgs.CpuTime();
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        while (clock.Elapsed < until)
        {
            for (var i = 0; i < 1_000; i++)
            {
                ReplyClassifier.Classify(replies[i % replies.Length]);
            }

            count += 1_000;
        }

        clock.Stop();
        var perSecond = count / clock.Elapsed.TotalSeconds;
        var perCpuSecond = count / (BenchmarkArgs.CpuTime() - cpuBefore).TotalSeconds;
        var bytesPerReply = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count;
        Console.WriteLine($"classify-replies: {count:N0} replies in {clock.Elapsed.TotalSeconds:F1} s = {perSecond:N0}/s wall clock, {perCpuSecond:N0} per CPU second of the whole process ({WorkstationGc.Description}; target 200,000 per core); {bytesPerReply:F0} bytes allocated per reply");
        return Task.FromResult<IReadOnlyDictionary<string, object>>(new Dictionary<string, object>
        {
            ["replies"] = count,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["repliesPerSecond"] = Math.Round(perSecond),
            ["repliesPerCpuSecond"] = Math.Round(perCpuSecond),
            ["bytesAllocatedPerReply"] = Math.Round(bytesPerReply),
            ["gc"] = WorkstationGc.Description,
            ["target"] = 200_000,
        });
    }
}
