namespace Hikyaku.Bounces.Tests;

/// <summary>One row of labels.tsv: file, reason, status, reply_code, hard, mta.</summary>
internal sealed record CorpusLabel(string File, string Reason, string Status, string ReplyCode, bool Hard, string Mta)
{
    /// <summary>
    /// Status agreement. Codes of the form x.0.9nn are invented by the reference parser from the
    /// reason (see the corpus README), so only their class digit is compared.
    /// </summary>
    public bool StatusAgrees(string? actual)
    {
        if (Status.Length == 0)
        {
            return true;
        }

        if (actual is null)
        {
            return false;
        }

        return Status.Contains(".0.9", StringComparison.Ordinal) ? actual[0] == Status[0] : actual == Status;
    }
}

internal static class CorpusLabels
{
    public static List<CorpusLabel> Load(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 6)
            .Select(f => new CorpusLabel(f[0], f[1], f[2], f[3], f[4] == "yes", f[5]))
            .ToList();
}
