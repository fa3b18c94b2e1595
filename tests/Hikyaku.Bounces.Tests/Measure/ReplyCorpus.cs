namespace Hikyaku.Bounces.Tests.Measure;

/// <summary>One line of Corpus/replies.tsv: a documented reply and the verdict it must get.</summary>
internal sealed record CorpusReply(int Line, string Group, SmtpReply Reply, ActionClass Action, BounceReason Reason, string Source);

/// <summary>Reads Corpus/replies.tsv (copied to the test output): tab-separated, '#' comments, a header row.</summary>
internal static class ReplyCorpus
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Corpus", "replies.tsv");

    public static IReadOnlyList<CorpusReply> Load() => Lazy.Value;

    private static readonly Lazy<List<CorpusReply>> Lazy = new(() =>
    {
        var rows = new List<CorpusReply>();
        var number = 0;
        foreach (var line in File.ReadLines(Path))
        {
            number++;
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("group\t", StringComparison.Ordinal))
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length != 6 || !SmtpStages.TryParse(f[1], out var stage) || !ActionClasses.TryParse(f[2], out var action) || !BounceReasons.TryParse(f[3], out var reason))
            {
                throw new FormatException($"replies.tsv line {number}: expected group, stage, action, reason, reply, source");
            }

            rows.Add(new CorpusReply(number, f[0], SmtpReply.Parse(f[4].Replace("\\n", "\n", StringComparison.Ordinal), stage), action, reason, f[5]));
        }

        return rows;
    });
}
