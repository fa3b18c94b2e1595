using System.Text.Json;
using Hikyaku.Domain.Imports;

namespace Hikyaku.Domain.Tests;

public class CsvImportTests
{
    [Fact]
    public void Rows_become_readers_with_their_other_columns_as_fields()
    {
        var result = ImportParser.ParseCsv("email,name,plan\r\nTaro@Example.jp,Taro,gold\r\nhanako@example.jp,,\r\n");

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
    public void Bad_address_duplicate_and_missing_column_reject_only_their_line()
    {
        var csv = "email,name\nok@example.jp,A\nnot-an-address,B\nOK@example.jp,C\nshort@example.jp\n\nlast@example.jp,\"Quoted, name\"\n";
        var parsed = ImportParser.ParseCsv(csv).Value!;

        Assert.Equal(["ok@example.jp", "last@example.jp"], parsed.Rows.Select(r => r.Email));
        Assert.Equal("Quoted, name", parsed.Rows[1].Name);
        Assert.Equal(7, parsed.Rows[1].Line);
        Assert.Collection(parsed.Rejected,
            r => Assert.Equal((3, true), (r.Line, r.Reason.StartsWith("invalid address", StringComparison.Ordinal))),
            r => Assert.Equal((4, "duplicate of line 2"), (r.Line, r.Reason)),
            r => Assert.Equal((5, true), (r.Line, r.Reason.Contains("columns", StringComparison.Ordinal))));
        Assert.Equal(5, parsed.Total);
    }

    [Theory]
    [InlineData("name,phone\nA,1\n", "no 'email' column")]
    [InlineData("", "empty")]
    [InlineData("email,email\na@example.jp,b\n", "twice")]
    [InlineData("email,name\na@example.jp,\"never closed\n", "never closed")]
    [InlineData("email,name\na@example.jp,bro\"ken\n", "quote inside an unquoted field")]
    [InlineData("email,name\na@example.jp,\"closed\"junk\n", "after a closing quote")]
    public void A_structural_problem_refuses_the_whole_file(string csv, string expected)
    {
        var result = ImportParser.ParseCsv(csv);

        Assert.False(result.Succeeded);
        Assert.Equal("body", result.Error!.Field);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_field_may_span_lines_and_line_numbers_follow_the_file()
    {
        var parsed = ImportParser.ParseCsv("email,note\na@example.jp,\"two\nlines\"\nb@example.jp,x\n").Value!;

        Assert.Equal("two\nlines", parsed.Rows[0].Fields!["note"]);
        Assert.Equal(4, parsed.Rows[1].Line);
    }

    [Fact]
    public void A_byte_order_mark_and_header_case_do_not_matter()
    {
        var parsed = ImportParser.ParseCsv("\uFEFFEmail,Name\na@example.jp,A\n").Value!;
        Assert.Equal("A", Assert.Single(parsed.Rows).Name);
    }

    [Fact]
    public void A_json_array_imports_like_csv()
    {
        using var doc = JsonDocument.Parse("""[{"email":"a@example.jp","name":"A","fields":{"age":42,"city":"Edo"}},{"name":"no email"},{"email":"a@example.jp"}]""");
        var parsed = ImportParser.ParseJson(doc.RootElement).Value!;

        var row = Assert.Single(parsed.Rows);
        Assert.Equal("42", row.Fields!["age"]);
        Assert.Equal("Edo", row.Fields["city"]);
        Assert.Equal([2, 3], parsed.Rejected.Select(r => r.Line));
    }

    [Fact]
    public void A_json_body_that_is_not_an_array_is_refused()
    {
        using var doc = JsonDocument.Parse("""{"email":"a@example.jp"}""");
        Assert.Equal("body", ImportParser.ParseJson(doc.RootElement).Error!.Field);
    }
}
