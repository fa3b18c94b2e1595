using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Domain.Secrets;

/// <summary>
/// Seals secrets a tenant hands over (a relay password, a DKIM private key) before they are stored in an event,
/// so the event store, its backups and the history API never hold them in clear. AES-GCM under a key derived
/// (HKDF) from the cluster secret; a sealed value opens only with that secret and cannot be altered unnoticed.
/// After the cluster secret changes, stored secrets no longer open and must be entered again.
/// </summary>
public sealed class SecretBox
{
    private const string Prefix = "sealed.v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretBox(string clusterSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterSecret);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(clusterSecret), 32, info: "hikyaku tenant secrets v1"u8.ToArray());
    }

    /// <summary>Whether <paramref name="value"/> looks like something <see cref="Seal"/> produced.</summary>
    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public string Seal(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or false when the value was not sealed by this cluster secret or was altered.</summary>
    public bool TryOpen(string? sealedValue, out string secret)
    {
        secret = string.Empty;
        if (!IsSealed(sealedValue))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(sealedValue![Prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length < NonceSize + TagSize)
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

        secret = Encoding.UTF8.GetString(plain);
        return true;
    }
}
