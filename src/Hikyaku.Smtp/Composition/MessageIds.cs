using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Smtp.Composition;

/// <summary>
/// Message-IDs that are the same every time for the same (issue, reader): a retry or a resend of
/// the same message carries the same id, so it is recognisable as such (RFC 5322 §3.6.4 asks for
/// uniqueness per message, which this keeps: a different issue or reader gives a different id).
/// </summary>
public static class MessageIds
{
    const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567"; // RFC 4648 base32, lower case

    /// <summary><c>{base32(sha256(key|recipient))[..26]}@{domain}</c> (130 bits of the hash), without angle brackets.</summary>
    public static string For(string messageKey, string recipient, string domain)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{messageKey}|{recipient.Trim().ToLowerInvariant()}"), hash);
        Span<char> id = stackalloc char[26];
        // 26 base32 digits take 130 bits: read the hash five bits at a time.
        for (var i = 0; i < id.Length; i++)
        {
            var bit = i * 5;
            var pair = (hash[bit / 8] << 8) | hash[bit / 8 + 1];
            id[i] = Alphabet[(pair >> (11 - bit % 8)) & 31];
        }
        return $"{id}@{domain}";
    }
}
