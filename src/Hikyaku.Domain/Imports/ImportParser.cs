using System.Text.Json;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;

namespace Hikyaku.Domain.Imports;

/// <summary>
/// The rows of an import, the lines refused, and how many rows repeated an address of an earlier row
/// (<paramref name="Duplicates"/>): <c>Total = Rows + Rejected + Duplicates</c>.
/// </summary>
public sealed record ImportParseResult(IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportRejection> Rejected, int Total, int Duplicates);

/// <summary>One record of a CSV file as a reader of the format found it, and the physical line (1-based) it starts on.</summary>
public readonly record struct ImportRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Turns an import (the records of a CSV file with a header row, or a JSON array of <c>{email, name?, fields?}</c>) into
/// rows. Reading the CSV text itself (quoting, line breaks, encodings) is an adapter's job; this class judges records.
/// A structural problem (no <c>email</c> column, malformed JSON) refuses the whole import; a problem with one line
/// (bad address, missing column) refuses that line only. A row whose address an earlier row already has is counted
/// as a duplicate, not refused: the first row with an address is the one imported.
/// </summary>
public static class ImportParser
{
    public const int MaxRows = 1_000_000;
    private const int MaxFieldLength = 1024;

    /// <summary>Judges CSV records; the first one is the header. Exceptions of the record source pass through.</summary>
    public static Outcome<ImportParseResult> ParseCsv(IEnumerable<ImportRecord> source)
    {
        using var records = source.GetEnumerator();
        if (!records.MoveNext())
        {
            return CommandError.Invalid("body", "the CSV is empty: a header row with an 'email' column is required");
        }

        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        var headerError = CheckHeader(header);
        if (headerError is not null)
        {
            return headerError;
        }

        var emailColumn = Array.FindIndex(header, h => h.Equals("email", StringComparison.OrdinalIgnoreCase));
        var nameColumn = Array.FindIndex(header, h => h.Equals("name", StringComparison.OrdinalIgnoreCase));
        var builder = new Builder();
        while (records.MoveNext())
        {
            var r = records.Current;
            if (r.Fields.Count != header.Length)
            {
                builder.Reject(r.Line, $"has {r.Fields.Count} columns where the header has {header.Length}");
                continue;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (i != emailColumn && i != nameColumn && r.Fields[i].Length > 0)
                {
                    fields[header[i]] = r.Fields[i];
                }
            }

            builder.Add(r.Line, r.Fields[emailColumn], nameColumn >= 0 ? r.Fields[nameColumn] : null, fields);
            if (builder.Total > MaxRows)
            {
                return CommandError.Invalid("body", $"more than {MaxRows} rows in one import");
            }
        }

        return Outcome<ImportParseResult>.Ok(builder.Build());
    }

    public static Outcome<ImportParseResult> ParseJson(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return CommandError.Invalid("body", "must be a JSON array of {email, name?, fields?}");
        }

        var builder = new Builder();
        var line = 0;
        foreach (var item in array.EnumerateArray())
        {
            line++;
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("email", out var email) || email.ValueKind != JsonValueKind.String)
            {
                builder.Reject(line, "item has no 'email' string");
                continue;
            }

            var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in f.EnumerateObject())
                {
                    fields[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }

            builder.Add(line, email.GetString()!, name, fields);
            if (builder.Total > MaxRows)
            {
                return CommandError.Invalid("body", $"more than {MaxRows} rows in one import");
            }
        }

        return Outcome<ImportParseResult>.Ok(builder.Build());
    }

    private static CommandError? CheckHeader(string[] header)
    {
        if (!header.Any(h => h.Equals("email", StringComparison.OrdinalIgnoreCase)))
        {
            return CommandError.Invalid("body", "the CSV header has no 'email' column");
        }

        if (header.Any(h => h.Length == 0))
        {
            return CommandError.Invalid("body", "the CSV header has an empty column name");
        }

        var duplicate = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : CommandError.Invalid("body", $"the CSV header names the column '{duplicate.Key}' twice");
    }

    private sealed class Builder
    {
        private readonly List<ImportRow> _rows = [];
        private readonly List<ImportRejection> _rejected = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private int _duplicates;

        public int Total { get; private set; }

        public void Reject(int line, string reason)
        {
            Total++;
            _rejected.Add(new ImportRejection(line, reason));
        }

        public void Add(int line, string email, string? name, Dictionary<string, string> fields)
        {
            if (!EmailAddress.TryNormalize(email, out var normalized, out var error))
            {
                Reject(line, $"invalid address '{Truncate(email)}': {error}");
            }
            else if (_seen.Contains(normalized))
            {
                Total++;
                _duplicates++;
            }
            else if (name is not null && !HeaderText.IsValid(name, 200, required: false, out var nameError))
            {
                Reject(line, $"invalid name: {nameError}");
            }
            else if (fields.Values.Any(v => v.Length > MaxFieldLength))
            {
                Reject(line, $"a field is longer than {MaxFieldLength} characters");
            }
            else
            {
                Total++;
                _seen.Add(normalized);
                _rows.Add(new ImportRow(line, normalized, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), fields.Count == 0 ? null : fields));
            }
        }

        public ImportParseResult Build() => new(_rows, _rejected, Total, _duplicates);

        private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
    }
}
