using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Domain.Unsubscribe;

/// <summary>
/// The reader's one-click unsubscribe token (RFC 8058): tenant, magazine and address sealed with AES-GCM, so the
/// URL neither exposes the address nor can be forged or altered. The key is derived from a cluster-wide secret.
/// </summary>
public sealed class UnsubscribeToken
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public UnsubscribeToken(string secret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "hikyaku one-click unsubscribe v1"u8.ToArray());

    public string Create(string tenantId, string magazineId, string email)
    {
        var plain = Encoding.UTF8.GetBytes($"{tenantId}/{magazineId}/{email}");
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return Convert.ToBase64String(sealedBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public bool TryRead(string? token, out string tenantId, out string magazineId, out string email)
    {
        tenantId = magazineId = email = string.Empty;
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length <= NonceSize + TagSize)
        {
            return false;
        }

        var plain = new byte[bytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, plain.Length), bytes.AsSpan(NonceSize + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(plain).Split('/', 3);
        if (parts.Length != 3)
        {
            return false;
        }

        (tenantId, magazineId, email) = (parts[0], parts[1], parts[2]);
        return true;
    }
}
