using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hikyaku.Csv;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class ShiftJisImportTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    // A list as Excel in Japan saves it ("CSV (コンマ区切り)"): CP932, CRLF, quotes only where needed; kanji,
    // half-width katakana, NEC's ①, the full-width tilde, IBM's 髙, a quoted field with a comma, quotes and a line break.
    private static readonly string[][] Rows =
    [
        ["email", "name", "フリガナ", "備考"],
        ["yamada@example.jp", "山田太郎", "ﾔﾏﾀﾞﾀﾛｳ", "①会員～ゴールド"],
        ["takahashi@docomo.ne.jp", "髙橋花子", "ﾀｶﾊｼﾊﾅｺ", "\"特急\", 2行目\r\nあり"],
        ["suzuki@ezweb.ne.jp", "鈴木　一郎", "ｽｽﾞｷｲﾁﾛｳ", "～③"],
    ];

    [Theory]
    [InlineData("declared", "text/csv; charset=shift_jis")]
    [InlineData("detected", "text/csv")]
    public async Task An_excel_cp932_file_round_trips_through_the_reader_and_the_cp932_export(string magazine, string contentType)
    {
        var t = await fixture.Silo.CreateTenant("sjis-" + magazine, magazine);
        var file = BodyEncoding.Cp932.GetBytes(string.Concat(Rows.Select(r => string.Join(',', r.Select(Quote)) + "\r\n")));

        var importId = (await (await Import(t, magazine, file, contentType)).Json()).GetProperty("importId").GetString()!;
        var progress = await t.WaitImportFinished(importId);

        Assert.Equal((3, 3, 0), (progress.GetProperty("total").GetInt32(), progress.GetProperty("imported").GetInt32(), progress.GetProperty("rejectedCount").GetInt32()));
        foreach (var row in Rows.Skip(1))
        {
            var reader = await (await t.GetAsync($"/v1/magazines/{magazine}/subscribers/{row[0]}")).Json();
            Assert.Equal(row[1], reader.GetProperty("name").GetString());
            Assert.Equal(row[2], reader.GetProperty("fields").GetProperty("フリガナ").GetString());
            Assert.Equal(row[3], reader.GetProperty("fields").GetProperty("備考").GetString());
        }

        var export = await t.GetAsync($"/v1/magazines/{magazine}/subscribers?format=csv&encoding=cp932");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(("text/csv", "shift_jis"), (export.Content.Headers.ContentType?.MediaType, export.Content.Headers.ContentType?.CharSet));
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.True(BodyEncoding.TryDecode(bytes, "cp932", out var text, out _));
        var records = CsvImport.Records(text).Select(r => r.Fields).ToList();
        Assert.Equal(["email", "name", "フリガナ", "備考", "status", "statusReason", "subscribedAt"], records[0]);
        Assert.Equal(Rows.Skip(1).OrderBy(r => r[0], StringComparer.Ordinal).Select(r => string.Join("|", r)), records.Skip(1).Select(r => string.Join("|", r.Take(4))));
        Assert.Equal(text, BodyEncoding.Cp932.GetString(bytes));
        Assert.Equal(bytes, BodyEncoding.Cp932.GetBytes(text));

        // The default export is UTF-8 with a BOM and holds the same text.
        var utf8 = await (await t.GetAsync($"/v1/magazines/{magazine}/subscribers?format=csv")).Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], utf8.Take(3));
        Assert.Equal(text, Encoding.UTF8.GetString(utf8, 3, utf8.Length - 3));
    }

    [Fact]
    public async Task A_latin1_declared_body_is_refused_by_name_and_imports_nothing()
    {
        var t = await fixture.Silo.CreateTenant("latin", "news");

        var answer = await Import(t, "news", Encoding.Latin1.GetBytes("email,name\r\nfrancois@example.fr,François\r\n"), "text/csv; charset=ISO-8859-1");

        var problem = await answer.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'ISO-8859-1'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await (await t.GetAsync("/v1/magazines/news")).Json()).GetProperty("subscriberCounts").GetProperty("active").GetInt32());
        await (await t.GetAsync("/v1/magazines/news/subscribers/francois@example.fr")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_undeliverable_list_exports_as_csv_in_the_chosen_encoding()
    {
        var t = await fixture.Silo.CreateTenant("undeliverable-csv", "news");

        var export = await t.GetAsync("/v1/magazines/news/undeliverable?format=csv&encoding=cp932");
        var bytes = await export.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(("text/csv", "shift_jis", "attachment"), (export.Content.Headers.ContentType?.MediaType, export.Content.Headers.ContentType?.CharSet, export.Content.Headers.ContentDisposition?.DispositionType));
        Assert.Equal("email,status,statusReason,lastReply,since\r\n"u8.ToArray(), bytes);
        await (await t.GetAsync("/v1/magazines/news/undeliverable?format=pdf")).AssertFieldProblem("format");
        await (await t.GetAsync("/v1/magazines/news/undeliverable?limit=0")).AssertFieldProblem("limit");
        await (await t.GetAsync("/v1/magazines/news/undeliverable?limit=lots")).AssertFieldProblem("limit");
        await (await t.GetAsync("/v1/magazines/news/undeliverable?format=csv&encoding=utf-16")).AssertFieldProblem("encoding");
    }

    private static async Task<HttpResponseMessage> Import(HttpClient t, string magazine, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await t.PostAsync($"/v1/magazines/{magazine}/subscribers/import", content);
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
