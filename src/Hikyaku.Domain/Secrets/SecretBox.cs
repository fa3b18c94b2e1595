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
    private readonly byte[] _key;

    public SecretBox(string clusterSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterSecret);
        _key = SealedBytes.DeriveKey(clusterSecret, "hikyaku tenant secrets v1");
    }

    /// <summary>Whether <paramref name="value"/> looks like something <see cref="Seal"/> produced.</summary>
    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public string Seal(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToBase64String(SealedBytes.Seal(_key, Encoding.UTF8.GetBytes(secret)));
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

        if (SealedBytes.Open(_key, bytes) is not { } plain)
        {
            return false;
        }

        secret = Encoding.UTF8.GetString(plain);
        return true;
    }
}
