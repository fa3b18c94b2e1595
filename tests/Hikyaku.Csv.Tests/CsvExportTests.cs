using System.Text;

namespace Hikyaku.Csv.Tests;

public class CsvExportTests
{
    [Fact]
    public async Task Utf8_export_starts_with_a_byte_order_mark_and_quotes_what_needs_it()
    {
        var bytes = await Export(CsvEncoding.Utf8, ["email", "name"], ["a@example.jp", "山田, \"太郎\""]);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        Assert.Equal("email,name\r\na@example.jp,\"山田, \"\"太郎\"\"\"\r\n", Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    [Fact]
    public async Task Cp932_export_writes_the_bytes_excel_in_japan_reads()
    {
        var bytes = await Export(CsvEncoding.Cp932, ["name"], ["①～髙ｶﾀｶﾅ"]);

        Assert.Equal(BodyEncoding.Cp932.GetBytes("name\r\n①～髙ｶﾀｶﾅ\r\n"), bytes);
        Assert.True(CsvEncoding.TryParse("CP932", out var e) && e == CsvEncoding.Cp932);
        Assert.False(CsvEncoding.TryParse("latin1", out _));
    }

    [Fact]
    public async Task A_value_a_spreadsheet_would_run_as_a_formula_is_shown_as_text()
    {
        var csv = new MemoryStream();
        await using (var export = new CsvExport(csv, CsvEncoding.Utf8))
        {
            export.WriteRow(["-a@example.jp", "=HYPERLINK(\"http://x\")"], guarded: i => i == 1);
        }

        Assert.EndsWith("-a@example.jp,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n", Encoding.UTF8.GetString(csv.ToArray()), StringComparison.Ordinal);
    }

    private static async Task<byte[]> Export(CsvEncoding encoding, params string[][] rows)
    {
        var output = new MemoryStream();
        await using (var export = new CsvExport(output, encoding))
        {
            foreach (var row in rows)
            {
                export.WriteRow(row);
            }
        }

        return output.ToArray();
    }
}
