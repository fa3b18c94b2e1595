using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Domain.Secrets;

/// <summary>
/// AES-GCM sealing shared by everything Hikyaku hands out or stores under the cluster secret: a 256-bit key derived
/// (HKDF-SHA256) per purpose, a fresh 96-bit nonce per value, and a 128-bit tag, laid out as nonce ‖ ciphertext ‖ tag.
/// </summary>
internal static class SealedBytes
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>The key for one purpose: values sealed for one purpose do not open for another.</summary>
    public static byte[] DeriveKey(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.UTF8.GetBytes(purpose));

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plain)
    {
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return sealedBytes;
    }

    /// <summary>The plain bytes, or null when <paramref name="sealedBytes"/> is too short, altered, or sealed under another key.</summary>
    public static byte[]? Open(byte[] key, ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, plain.Length), sealedBytes[(NonceSize + plain.Length)..], plain);
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
