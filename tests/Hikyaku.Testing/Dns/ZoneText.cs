using System.Net;

namespace Hikyaku.Testing.Dns;

/// <summary>One resource record of a test zone.</summary>
public sealed record ZoneRecord(string Owner, ushort Type, uint Ttl, string[] Data);

/// <summary>
/// Zone text in master-file form, one record a line: <c>owner ttl IN TYPE data…</c> for A, AAAA,
/// MX, CNAME and SOA (owner names absolute, <c>;</c> starts a comment). A line <c>owner SERVFAIL</c>,
/// <c>owner REFUSED</c> or <c>owner DROP</c> makes the server fail that name that way
/// (<c>DROP</c>: never answer, so the client times out).
/// </summary>
public sealed class ZoneText
{
    public const ushort A = 1, Cname = 5, Soa = 6, Mx = 15, Aaaa = 28;

    private static readonly Dictionary<string, ushort> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = A, ["CNAME"] = Cname, ["SOA"] = Soa, ["MX"] = Mx, ["AAAA"] = Aaaa,
    };

    private ZoneText(IReadOnlyList<ZoneRecord> records, IReadOnlyDictionary<string, string> failures)
    {
        Records = records;
        Failures = failures;
    }

    public IReadOnlyList<ZoneRecord> Records { get; }

    /// <summary>Owner name → SERVFAIL, REFUSED or DROP.</summary>
    public IReadOnlyDictionary<string, string> Failures { get; }

    public static ZoneText Parse(string text)
    {
        var records = new List<ZoneRecord>();
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split(';')[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var owner = Name(fields[0]);
            if (fields.Length == 2)
            {
                var mode = fields[1].ToUpperInvariant();
                failures[owner] = mode is "SERVFAIL" or "REFUSED" or "DROP" ? mode : throw new FormatException($"Unknown failure mode in '{line}'.");
                continue;
            }
            if (fields.Length < 5 || !fields[2].Equals("IN", StringComparison.OrdinalIgnoreCase) || !Types.TryGetValue(fields[3], out var type))
            {
                throw new FormatException($"Expected 'owner ttl IN TYPE data' in '{line}'.");
            }
            var data = fields[4..];
            if (type is A or Aaaa)
            {
                IPAddress.Parse(data[0]);
            }
            records.Add(new ZoneRecord(owner, type, uint.Parse(fields[1]), data));
        }
        return new ZoneText(records, failures);
    }

    /// <summary>Lower case, no trailing dot; the root is the empty string.</summary>
    public static string Name(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
