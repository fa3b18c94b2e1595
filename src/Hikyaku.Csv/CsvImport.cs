using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Imports;

namespace Hikyaku.Csv;

/// <summary>
/// Reads an import's CSV text (RFC 4180: comma separated, CRLF or LF, fields optionally quoted with a doubled quote
/// inside) with CsvHelper and hands its records to the Domain's <see cref="ImportParser"/>. Broken quoting (a quote
/// inside an unquoted field, text after a closing quote, a quote never closed) refuses the whole file with the line
/// the record starts on: guessing would silently merge or split readers.
/// </summary>
public static class CsvImport
{
    public static Outcome<ImportParseResult> Parse(string text)
    {
        try
        {
            return ImportParser.ParseCsv(Records(text));
        }
        catch (CsvFormatException e)
        {
            return CommandError.Invalid("body", $"broken CSV quoting at line {e.Line}: {e.Reason}");
        }
    }

    /// <summary>
    /// The records of <paramref name="text"/> with the physical line (1-based) each starts on; empty lines are
    /// skipped. Throws <see cref="CsvFormatException"/> for broken quoting.
    /// </summary>
    public static IEnumerable<ImportRecord> Records(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Mode = CsvMode.RFC4180,
            HasHeaderRecord = false,
            DetectColumnCountChanges = false,

            // Blank lines are read as records (and skipped below) so every physical line belongs to one record and
            // the line a record starts on is the line after the previous record ends.
            IgnoreBlankLines = false,
            BadDataFound = args => throw new BadQuoting(args.RawRecord),
        };

        using var parser = new CsvParser(new StringReader(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text), configuration);
        var nextLine = 1;
        while (true)
        {
            string[] fields;
            try
            {
                if (!parser.Read())
                {
                    yield break;
                }

                fields = parser.Record ?? [];
            }
            catch (BadQuoting e)
            {
                throw new CsvFormatException(nextLine, Describe(e.RawRecord));
            }

            var line = nextLine;
            nextLine = parser.RawRow + 1;
            if (fields.Length == 0 || (fields.Length == 1 && fields[0].Length == 0))
            {
                continue;
            }

            yield return new ImportRecord(line, fields);
        }
    }

    private static string Describe(string raw)
    {
        var quoted = raw.Split(',').Select(f => f.TrimEnd('\r', '\n')).ToList();
        if (quoted.Any(f => f.Length > 0 && f[0] != '"' && f.Contains('"', StringComparison.Ordinal)))
        {
            return "a quote inside an unquoted field";
        }

        return raw.Count(c => c == '"') % 2 == 1 ? "a quoted field is never closed" : "text after a closing quote";
    }

    private sealed class BadQuoting(string rawRecord) : Exception("bad CSV quoting")
    {
        public string RawRecord { get; } = rawRecord;
    }
}

/// <summary>The CSV text cannot be read as records; <see cref="Line"/> is the line the broken record starts on.</summary>
public sealed class CsvFormatException(int line, string message) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;

    public string Reason { get; } = message;
}
