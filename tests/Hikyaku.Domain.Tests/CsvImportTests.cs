using System.Text.Json;
using Hikyaku.Domain.Imports;

namespace Hikyaku.Domain.Tests;

public class CsvImportTests
{
    [Fact]
    public void Records_become_readers_with_their_other_columns_as_fields()
    {
        var result = ImportParser.ParseCsv(Records(["email", "name", "plan"], ["Taro@Example.jp", "Taro", "gold"], ["hanako@example.jp", "", ""]));

        var parsed = Assert.IsType<ImportParseResult>(result.Value);
        Assert.Equal(2, parsed.Total);
        Assert.Empty(parsed.Rejected);
        Assert.Equal("taro@example.jp", parsed.Rows[0].Email);
        Assert.Equal("Taro", parsed.Rows[0].Name);
        Assert.Equal("gold", parsed.Rows[0].Fields!["plan"]);
        Assert.Null(parsed.Rows[1].Name);
        Assert.Null(parsed.Rows[1].Fields);
    }

    [Fact]
    public void Bad_address_and_missing_column_reject_only_their_line()
    {
        var parsed = ImportParser.ParseCsv(Records(["email", "name"], ["ok@example.jp", "A"], ["not-an-address", "B"], ["short@example.jp"], ["last@example.jp", "Quoted, name"])).Value!;

        Assert.Equal(["ok@example.jp", "last@example.jp"], parsed.Rows.Select(r => r.Email));
        Assert.Equal((5, "Quoted, name"), (parsed.Rows[1].Line, parsed.Rows[1].Name));
        Assert.Collection(parsed.Rejected,
            r => Assert.Equal((3, true), (r.Line, r.Reason.StartsWith("invalid address", StringComparison.Ordinal))),
            r => Assert.Equal((4, true), (r.Line, r.Reason.Contains("columns", StringComparison.Ordinal))));
        Assert.Equal(4, parsed.Total);
    }

    [Fact]
    public void A_repeated_address_counts_as_a_duplicate_not_a_rejection_and_the_first_row_wins()
    {
        var rows = new List<string[]> { new[] { "email", "name" } };
        rows.AddRange(Enumerable.Range(0, 80_000).Select(i => new[] { i % 2 == 0 ? "Same@Example.jp" : "same@example.jp", $"Copy {i}" }));

        var parsed = ImportParser.ParseCsv(Records([.. rows])).Value!;

        Assert.Equal((80_000, 79_999, 0), (parsed.Total, parsed.Duplicates, parsed.Rejected.Count));
        Assert.Equal(("same@example.jp", "Copy 0"), (Assert.Single(parsed.Rows).Email, parsed.Rows[0].Name));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("name,phone", "no 'email' column")]
    [InlineData("email,EMAIL", "twice")]
    [InlineData("email,", "empty column name")]
    public void A_header_without_one_email_column_refuses_the_whole_file(string header, string expected)
    {
        var result = ImportParser.ParseCsv(header.Length == 0 ? [] : Records(header.Split(','), ["a@example.jp", "b"]));

        Assert.False(result.Succeeded);
        Assert.Equal("body", result.Error!.Field);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_array_imports_like_csv()
    {
        using var doc = JsonDocument.Parse("""[{"email":"a@example.jp","name":"A","fields":{"age":42,"city":"Edo"}},{"name":"no email"},{"email":"a@example.jp"}]""");
        var parsed = ImportParser.ParseJson(doc.RootElement).Value!;

        var row = Assert.Single(parsed.Rows);
        Assert.Equal("42", row.Fields!["age"]);
        Assert.Equal("Edo", row.Fields["city"]);
        Assert.Equal([2], parsed.Rejected.Select(r => r.Line));
        Assert.Equal(1, parsed.Duplicates);
    }

    [Fact]
    public void A_json_body_that_is_not_an_array_is_refused()
    {
        using var doc = JsonDocument.Parse("""{"email":"a@example.jp"}""");
        Assert.Equal("body", ImportParser.ParseJson(doc.RootElement).Error!.Field);
    }

    /// <summary>Records as a CSV reader hands them over, one per line from line 1.</summary>
    private static IEnumerable<ImportRecord> Records(params string[][] rows) => rows.Select((fields, i) => new ImportRecord(i + 1, fields));
}
