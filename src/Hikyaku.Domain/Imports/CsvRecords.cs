using System.Text;

namespace Hikyaku.Domain.Imports;

/// <summary>
/// An RFC 4180 CSV reader: fields separated by commas, records by CRLF or LF, fields optionally quoted with
/// <c>"</c> and a quote inside a quoted field doubled. Broken quoting (a quote inside an unquoted field, text
/// after a closing quote, a quote never closed) is an error for the whole file, with the line it starts on.
/// </summary>
public static class CsvRecords
{
    /// <summary>A record and the physical line (1-based) it starts on.</summary>
    public readonly record struct Record(int Line, IReadOnlyList<string> Fields);

    public sealed class CsvFormatException(int line, string message) : Exception($"line {line}: {message}")
    {
        public int Line { get; } = line;
    }

    public static IEnumerable<Record> Read(string text)
    {
        var pos = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (pos < text.Length)
        {
            var recordLine = line;
            fields.Clear();
            while (true)
            {
                field.Clear();
                if (pos < text.Length && text[pos] == '"')
                {
                    pos = ReadQuoted(text, pos + 1, field, ref line, recordLine);
                    if (pos < text.Length && text[pos] is not (',' or '\r' or '\n'))
                    {
                        throw new CsvFormatException(line, "text after a closing quote");
                    }
                }
                else
                {
                    while (pos < text.Length && text[pos] is not (',' or '\r' or '\n'))
                    {
                        if (text[pos] == '"')
                        {
                            throw new CsvFormatException(line, "a quote inside an unquoted field");
                        }

                        field.Append(text[pos++]);
                    }
                }

                fields.Add(field.ToString());
                if (pos < text.Length && text[pos] == ',')
                {
                    pos++;
                    continue;
                }

                pos = SkipLineBreak(text, pos, ref line);
                break;
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // an empty line
            }

            yield return new Record(recordLine, fields.ToArray());
        }
    }

    private static int ReadQuoted(string text, int pos, StringBuilder field, ref int line, int recordLine)
    {
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '"')
            {
                if (pos + 1 < text.Length && text[pos + 1] == '"')
                {
                    field.Append('"');
                    pos += 2;
                    continue;
                }

                return pos + 1;
            }

            if (c == '\n')
            {
                line++;
            }

            field.Append(c);
            pos++;
        }

        throw new CsvFormatException(recordLine, "a quoted field is never closed");
    }

    private static int SkipLineBreak(string text, int pos, ref int line)
    {
        if (pos < text.Length && text[pos] == '\r')
        {
            pos++;
        }

        if (pos < text.Length && text[pos] == '\n')
        {
            pos++;
        }

        line++;
        return pos;
    }
}
