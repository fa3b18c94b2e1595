using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Hikyaku.Csv;

/// <summary>An encoding a CSV export can be written in: its query value, the .NET encoding and the Content-Type charset.</summary>
public sealed record CsvEncoding(string Name, Encoding Encoding, string Charset)
{
    /// <summary>UTF-8 with a byte order mark: without it Excel reads UTF-8 CSV as the ANSI code page and garbles Japanese.</summary>
    public static CsvEncoding Utf8 { get; } = new("utf-8", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), "utf-8");

    /// <summary>Code page 932, what Excel in Japan opens and saves by default; labelled shift_jis, the name clients know it by.</summary>
    public static CsvEncoding Cp932 { get; } = new("cp932", BodyEncoding.Cp932, "shift_jis");

    public const string Choices = "utf-8 (default, with BOM) or cp932 (Shift_JIS as Excel in Japan writes it)";

    /// <summary>The encoding named by a query value (null or empty means UTF-8); false for an unknown name.</summary>
    public static bool TryParse(string? name, out CsvEncoding encoding)
    {
        encoding = Utf8;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "utf-8" or "utf8":
                return true;
            case "cp932" or "shift_jis" or "sjis" or "windows-31j" or "ms932":
                encoding = Cp932;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>Writes CSV (RFC 4180, CRLF, quoted where needed) with CsvHelper in a chosen encoding, row by row to a stream.</summary>
public sealed class CsvExport : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;

    public CsvExport(Stream output, CsvEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);

        // The StreamWriter writes the encoding's preamble (the UTF-8 BOM) before the first row.
        _writer = new StreamWriter(output, encoding.Encoding, bufferSize: 64 * 1024, leaveOpen: true);
        _csv = new CsvWriter(_writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n", Mode = CsvMode.RFC4180 });
    }

    /// <summary>
    /// Writes one row. Set <paramref name="guarded"/> for columns that hold what a reader typed (names, fields): a value
    /// starting with = + - @ or a tab gets a leading apostrophe so a spreadsheet shows it rather than runs it as a
    /// formula (OWASP, "CSV Injection").
    /// </summary>
    public void WriteRow(IEnumerable<string?> values, Func<int, bool>? guarded = null)
    {
        var i = 0;
        foreach (var value in values)
        {
            var text = value ?? string.Empty;
            if (guarded?.Invoke(i) == true && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                text = "'" + text;
            }

            _csv.WriteField(text);
            i++;
        }

        _csv.NextRecord();
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _csv.FlushAsync().ConfigureAwait(false);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }
}
