using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Domain.Bounces;

/// <summary>
/// The VERP return path of one message to one reader (<c>bounce+{token}@{bounce domain}</c>), so that a bounce
/// or complaint arriving days later names its reader and message without anyone else being able to read them
/// from the address, or to make one up.
/// </summary>
/// <remarks>
/// <para>
/// The token is the packed (tenant, magazine, address, message key) sealed with a deterministic authenticated
/// cipher (SIV construction, RFC 5297 §2.6 in spirit): an 80-bit tag = HMAC-SHA-256 of the plain text,
/// truncated, which also serves as the IV of AES-256-CTR over it. The same message to the same reader always
/// gets the same return path; a changed character fails the tag (a forgery has one chance in 2^80 per try);
/// the address reveals only that two messages went to the same reader with the same key. Both keys are derived
/// (HKDF) from the cluster-wide secret, as <see cref="Unsubscribe.UnsubscribeToken"/>'s is, under another name.
/// It is written in lower-case base32, which survives MTAs that change the case of the local part.
/// </para>
/// <para>
/// Length: RFC 5321 §4.5.3.1.1 sets 64 octets for a local part; this token is usually longer. Reading it back
/// without a lookup table means carrying the reader's address and a 128-bit broadcast id inside it: for a
/// 4-letter tenant and magazine, <c>taro.yamada@example.jp</c> and a GUID broadcast id the local part is about
/// 90 characters (16 of them for the tag). Senders have sent VERP addresses of that size for decades (the
/// recipient's whole address in the local part, as Postfix and qmail's VERP do), and receiving MTAs accept
/// them, as §4.5.3.1 asks ("implementation techniques that impose no limits ... should be used"). The packing
/// (6 bits a character, the GUID as 16 bytes) and the 80-bit tag keep it as short as that design allows.
/// </para>
/// </remarks>
public sealed class ReturnPathToken
{
    /// <summary>The local part's prefix before <c>+</c>.</summary>
    public const string LocalPrefix = "bounce";

    private const int TagSize = 10;
    private const int MaxTokenLength = 1024;
    private readonly byte[] _macKey;
    private readonly byte[] _encryptionKey;

    public ReturnPathToken(string secret)
    {
        var keys = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 64, info: "hikyaku verp return path v1"u8.ToArray());
        _macKey = keys[..32];
        _encryptionKey = keys[32..];
    }

    /// <summary>The token for <paramref name="path"/> (lower-case base32).</summary>
    /// <exception cref="ArgumentException">A field is longer than 255 bytes.</exception>
    public string Create(ReturnPath path)
    {
        var plain = ReturnPathPayload.Pack(path);
        var sealedBytes = new byte[TagSize + plain.Length];
        HMACSHA256.HashData(_macKey, plain).AsSpan(0, TagSize).CopyTo(sealedBytes);
        Crypt(sealedBytes.AsSpan(0, TagSize), plain, sealedBytes.AsSpan(TagSize));
        return Base32.Encode(sealedBytes);
    }

    /// <summary>The whole return path: <c>bounce+{token}@{domain}</c>.</summary>
    public string Address(ReturnPath path, string domain) => $"{LocalPrefix}+{Create(path)}@{domain}";

    /// <summary>Opens a token; false when it was not made with this secret, or was altered.</summary>
    public bool TryRead(string? token, out ReturnPath path)
    {
        path = null!;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !Base32.TryDecode(token, out var bytes) || bytes.Length <= TagSize)
        {
            return false;
        }

        var tag = bytes.AsSpan(0, TagSize);
        var plain = new byte[bytes.Length - TagSize];
        Crypt(tag, bytes.AsSpan(TagSize), plain);
        if (!CryptographicOperations.FixedTimeEquals(tag, HMACSHA256.HashData(_macKey, plain).AsSpan(0, TagSize)))
        {
            return false;
        }

        path = ReturnPathPayload.Unpack(plain)!;
        return path is not null;
    }

    /// <summary>
    /// Opens the token in an address <c>bounce+{token}@{domain}</c>; false for another domain or local part.
    /// </summary>
    public bool TryReadAddress(string? address, string domain, out ReturnPath path)
    {
        path = null!;
        var at = address?.LastIndexOf('@') ?? -1;
        if (at < 0 || !string.Equals(address![(at + 1)..].TrimEnd('.'), domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var local = address[..at];
        return local.Length > LocalPrefix.Length + 1
            && local.StartsWith(LocalPrefix + "+", StringComparison.OrdinalIgnoreCase)
            && TryRead(local[(LocalPrefix.Length + 1)..], out path);
    }

    // AES-256-CTR with the tag as the counter block's first 10 bytes: encryption and decryption are the same.
    private void Crypt(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var blocks = (input.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (var i = 0; i < blocks; i++)
        {
            var block = counters.AsSpan(i * 16, 16);
            tag.CopyTo(block);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(block[12..], i);
        }

        using var aes = Aes.Create();
        aes.Key = _encryptionKey;
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ stream[i]);
        }
    }
}
