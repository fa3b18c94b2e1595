using Hikyaku.Contracts.Model;
using System.Text;

namespace Hikyaku.Domain.Bounces;

/// <summary>
/// The plain text of a return-path token, packed into as few bits as the identifiers allow: ids and addresses
/// take 6 bits a character when they stay within their usual alphabets (any other text falls back to UTF-8),
/// and a broadcast id that is a 32-digit hex GUID takes its 128 bits. Each saved byte is 1.6 characters of
/// the address.
/// </summary>
internal static class ReturnPathPayload
{
    private const int Version = 1;

    // Identifier (tenant, magazine, broadcast, story): letters, digits, '-' and '_' — 64 symbols exactly.
    private const string Ids = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

    // A normalised (lower-case) address: dot-atom characters of RFC 5322 and '@' — 57 symbols.
    private const string Addresses = "abcdefghijklmnopqrstuvwxyz0123456789.-_+@!#$%&'*/=?^`{|}~";

    public static byte[] Pack(ReturnPath path)
    {
        var w = new BitWriter();
        w.Write(Version, 3);
        WriteText(w, path.TenantId, Ids);
        WriteText(w, path.MagazineId, Ids);
        WriteText(w, path.Email, Addresses);
        var (kind, id) = path.MessageKey switch
        {
            ['b', ':', .. var rest] => (0, rest),
            ['s', ':', .. var rest] => (1, rest),
            var other => (2, other),
        };
        w.Write(kind, 2);
        if (kind < 2 && id.Length == 32 && Guid.TryParseExact(id, "N", out var guid) && guid.ToString("N") == id)
        {
            w.Write(1, 1);
            w.WriteBytes(guid.ToByteArray(bigEndian: true));
        }
        else
        {
            if (kind < 2)
            {
                w.Write(0, 1);
            }

            WriteText(w, id, Ids);
        }

        return w.ToArray();
    }

    public static ReturnPath? Unpack(byte[] bytes)
    {
        var r = new BitReader(bytes);
        if (r.Read(3) != Version
            || ReadText(r, Ids) is not { } tenant
            || ReadText(r, Ids) is not { } magazine
            || ReadText(r, Addresses) is not { } email)
        {
            return null;
        }

        var kind = r.Read(2);
        string? key = kind switch
        {
            0 or 1 when r.Read(1) == 1 => r.ReadBytes(16) is { } g ? new Guid(g, bigEndian: true).ToString("N") : null,
            0 or 1 => ReadText(r, Ids),
            2 => ReadText(r, Ids),
            _ => null,
        };
        if (key is null || !r.AtPaddedEnd)
        {
            return null;
        }

        return new ReturnPath(tenant, magazine, email, kind switch { 0 => MessageKey.Broadcast(key).ToString(), 1 => MessageKey.Story(key).ToString(), _ => key });
    }

    private static void WriteText(BitWriter w, string text, string alphabet)
    {
        if (text.Length <= byte.MaxValue && text.All(c => alphabet.Contains(c)))
        {
            w.Write(0, 1);
            w.Write(text.Length, 8);
            foreach (var c in text)
            {
                w.Write(alphabet.IndexOf(c), 6);
            }

            return;
        }

        var utf8 = Encoding.UTF8.GetBytes(text);
        if (utf8.Length > byte.MaxValue)
        {
            throw new ArgumentException($"'{text[..16]}...' is too long for a return path ({utf8.Length} bytes, at most 255)");
        }

        w.Write(1, 1);
        w.Write(utf8.Length, 8);
        w.WriteBytes(utf8);
    }

    private static string? ReadText(BitReader r, string alphabet)
    {
        var utf8 = r.Read(1) == 1;
        var length = r.Read(8);
        if (length < 0)
        {
            return null;
        }

        if (utf8)
        {
            return r.ReadBytes(length) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
        }

        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            var symbol = r.Read(6);
            if (symbol < 0 || symbol >= alphabet.Length)
            {
                return null;
            }

            chars[i] = alphabet[symbol];
        }

        return new string(chars);
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _bits;

        public void Write(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                if (_bits % 8 == 0)
                {
                    _bytes.Add(0);
                }

                _bytes[^1] |= (byte)(((value >> i) & 1) << (7 - (_bits % 8)));
                _bits++;
            }
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                Write(b, 8);
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }

    /// <summary>Reads bits; -1 (or null) once past the end, so a truncated payload reads as malformed.</summary>
    private sealed class BitReader(byte[] bytes)
    {
        private int _bit;

        /// <summary>True when only the zero bits that pad the last byte are left.</summary>
        public bool AtPaddedEnd => bytes.Length * 8 - _bit < 8 && Read(bytes.Length * 8 - _bit) == 0;

        public int Read(int count)
        {
            if (_bit + count > bytes.Length * 8)
            {
                return -1;
            }

            var value = 0;
            for (var i = 0; i < count; i++, _bit++)
            {
                value = (value << 1) | ((bytes[_bit / 8] >> (7 - (_bit % 8))) & 1);
            }

            return value;
        }

        public byte[]? ReadBytes(int count)
        {
            var result = new byte[count];
            for (var i = 0; i < count; i++)
            {
                var b = Read(8);
                if (b < 0)
                {
                    return null;
                }

                result[i] = (byte)b;
            }

            return result;
        }
    }
}
