using System.Text;

namespace Hikyaku.MxSim.Smtp;

/// <summary>
/// The forward-paths of one session's RCPT commands exactly as the client wrote them. SmtpServer hands the mailbox
/// filter and the message store a parsed mailbox, with the quotes of a quoted local part already taken off
/// (<c>"taro..hanako"@docomo.ne.jp</c> arrives as user <c>taro..hanako</c>), so the journal could not tell what was on
/// the wire; the connection's input is scanned for these lines instead. Fed by one reader, read by the session.
/// </summary>
internal sealed class ForwardPaths
{
    const int MaxLine = 1024;
    const int MaxKept = 64;
    static readonly byte[] Rcpt = "RCPT TO:"u8.ToArray();

    readonly Lock _gate = new();
    readonly List<string> _paths = [];
    readonly byte[] _line = new byte[MaxLine];
    int _length;

    /// <summary>Looks at bytes the client sent, in order; each complete line that is a RCPT command keeps its path.</summary>
    public void Scan(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var part = end < 0 ? data : data[..end];
            // Only the start of a line matters; message content lines just pass through.
            var room = Math.Min(part.Length, MaxLine - _length);
            part[..room].CopyTo(_line.AsSpan(_length));
            _length += room;
            if (end < 0) return;
            Line(_line.AsSpan(0, _length).TrimEnd((byte)'\r'));
            _length = 0;
            data = data[(end + 1)..];
        }
    }

    /// <summary>
    /// The path as sent for the accepted recipient <paramref name="address"/> (SmtpServer's <c>user@host</c>), or
    /// null when no RCPT line names it; each line is handed out once.
    /// </summary>
    public string? Take(string address)
    {
        lock (_gate)
        {
            var i = _paths.FindIndex(p => string.Equals(Unquoted(p), address, StringComparison.OrdinalIgnoreCase));
            if (i < 0) return null;
            var path = _paths[i];
            _paths.RemoveAt(i);
            return path;
        }
    }

    void Line(ReadOnlySpan<byte> line)
    {
        if (line.Length <= Rcpt.Length || !Ascii.EqualsIgnoreCase(line[..Rcpt.Length], Rcpt)) return;
        var path = PathOf(Encoding.ASCII.GetString(line[Rcpt.Length..]).TrimStart());
        lock (_gate)
        {
            if (_paths.Count == MaxKept) _paths.RemoveAt(0); // refused recipients are never taken
            _paths.Add(path);
        }
    }

    /// <summary>What is between the angle brackets of <c>&lt;path&gt; [parameters]</c>; a '>' inside a quoted local part does not end it.</summary>
    static string PathOf(string argument)
    {
        if (!argument.StartsWith('<')) return argument.Split(' ')[0];
        var quoted = false;
        for (var i = 1; i < argument.Length; i++)
        {
            var c = argument[i];
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (c == '>' && !quoted) return argument[1..i];
        }
        return argument[1..];
    }

    /// <summary>The path with a quoted local part unquoted (RFC 5321 §4.1.2 quoted-pairs resolved), as SmtpServer parses it.</summary>
    static string Unquoted(string path)
    {
        if (!path.StartsWith('"')) return path;
        var local = new StringBuilder();
        for (var i = 1; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\' && i + 1 < path.Length) local.Append(path[++i]);
            else if (c == '"') return local.Append(path[(i + 1)..]).ToString();
            else local.Append(c);
        }
        return path;
    }
}
