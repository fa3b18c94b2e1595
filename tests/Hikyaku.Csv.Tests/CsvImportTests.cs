using Hikyaku.Domain.Imports;

namespace Hikyaku.Csv.Tests;

public class CsvImportTests
{
    [Fact]
    public void Rows_become_readers_with_their_other_columns_as_fields()
    {
        var parsed = CsvImport.Parse("email,name,plan\r\nTaro@Example.jp,Taro,gold\r\nhanako@example.jp,,\r\n").Value!;

        Assert.Equal(2, parsed.Total);
        Assert.Empty(parsed.Rejected);
        Assert.Equal(("taro@example.jp", "Taro", "gold"), (parsed.Rows[0].Email, parsed.Rows[0].Name, parsed.Rows[0].Fields!["plan"]));
        Assert.Null(parsed.Rows[1].Name);
        Assert.Null(parsed.Rows[1].Fields);
    }

    [Theory]
    [InlineData("name,phone\nA,1\n", "no 'email' column")]
    [InlineData("", "empty")]
    [InlineData("\n\n", "empty")]
    [InlineData("email,email\na@example.jp,b\n", "twice")]
    [InlineData("email,name\na@example.jp,\"never closed\n", "line 2: a quoted field is never closed")]
    [InlineData("email,name\na@example.jp,bro\"ken\n", "line 2: a quote inside an unquoted field")]
    [InlineData("email,name\na@example.jp,\"closed\"junk\n", "line 2: text after a closing quote")]
    [InlineData("email,note\na@example.jp,\"two\nlines\"\n\nb@example.jp,bro\"ken\n", "line 5: a quote inside an unquoted field")]
    public void A_structural_problem_refuses_the_whole_file(string csv, string expected)
    {
        var result = CsvImport.Parse(csv);

        Assert.False(result.Succeeded);
        Assert.Equal("body", result.Error!.Field);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks_and_line_numbers_follow_the_file()
    {
        var csv = "email,note\r\na@example.jp,\"two\r\nlines, \"\"quoted\"\"\"\r\n\r\nb@example.jp,x\r\nc@example.jp\r\n";
        var records = CsvImport.Records(csv).ToList();

        Assert.Equal([1, 2, 5, 6], records.Select(r => r.Line));
        Assert.Equal("two\r\nlines, \"quoted\"", records[1].Fields[1]);
        var parsed = CsvImport.Parse(csv).Value!;
        Assert.Equal([2, 5], parsed.Rows.Select(r => r.Line));
        Assert.Equal(6, Assert.Single(parsed.Rejected).Line);
    }

    [Fact]
    public void A_byte_order_mark_and_header_case_do_not_matter()
    {
        var parsed = CsvImport.Parse("\uFEFFEmail,Name\na@example.jp,A\n").Value!;
        Assert.Equal("A", Assert.Single(parsed.Rows).Name);
    }
}
