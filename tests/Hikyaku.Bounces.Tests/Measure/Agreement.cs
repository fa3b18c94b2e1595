using System.Text;

namespace Hikyaku.Bounces.Tests.Measure;

/// <summary>Counts of expected against actual labels: agreement overall and per label, and the confusion table.</summary>
internal sealed class Agreement
{
    private readonly SortedDictionary<string, SortedDictionary<string, int>> table = new(StringComparer.Ordinal);

    public int Total { get; private set; }

    public int Agreed { get; private set; }

    public double Rate => Total == 0 ? 1 : (double)Agreed / Total;

    public void Add(string expected, string actual)
    {
        if (!table.TryGetValue(expected, out var row))
        {
            table[expected] = row = new SortedDictionary<string, int>(StringComparer.Ordinal);
        }

        row[actual] = row.GetValueOrDefault(actual) + 1;
        Total++;
        Agreed += expected == actual ? 1 : 0;
    }

    /// <summary>Agreement on the items whose expected label is <paramref name="expected"/>.</summary>
    public (int Agreed, int Total, double Rate) For(string expected)
    {
        var row = table.GetValueOrDefault(expected) ?? [];
        var total = row.Values.Sum();
        var agreed = row.GetValueOrDefault(expected);
        return (agreed, total, total == 0 ? 1 : (double)agreed / total);
    }

    public IEnumerable<string> Labels => table.Keys;

    /// <summary>Rows are the expected label, columns what came out; the diagonal is agreement.</summary>
    public string ConfusionTable()
    {
        var columns = table.Keys.Union(table.Values.SelectMany(r => r.Keys)).Order(StringComparer.Ordinal).ToList();
        var width = Math.Max(8, columns.Max(c => c.Length) + 1);
        var text = new StringBuilder();
        text.Append("expected \\ got".PadRight(18));
        foreach (var c in columns)
        {
            text.Append(c.PadLeft(width));
        }

        text.Append("   agreement\n");
        foreach (var (expected, row) in table)
        {
            text.Append(expected.PadRight(18));
            foreach (var c in columns)
            {
                text.Append(row.GetValueOrDefault(c).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width));
            }

            var (agreed, total, rate) = For(expected);
            text.Append($"   {agreed}/{total} = {rate:P1}\n");
        }

        text.Append($"overall {Agreed}/{Total} = {Rate:P1}\n");
        return text.ToString();
    }
}
