using System.Text;
using Hikyaku.Domain.Secrets;

namespace Hikyaku.Domain.Unsubscribe;

/// <summary>
/// The reader's one-click unsubscribe token (RFC 8058): tenant, magazine and address sealed with AES-GCM, so the
/// URL neither exposes the address nor can be forged or altered. The key is derived from a cluster-wide secret.
/// </summary>
public sealed class UnsubscribeToken
{
    private readonly byte[] _key;

    public UnsubscribeToken(string secret) => _key = SealedBytes.DeriveKey(secret, "hikyaku one-click unsubscribe v1");

    public string Create(string tenantId, string magazineId, string email)
    {
        var sealedBytes = SealedBytes.Seal(_key, Encoding.UTF8.GetBytes($"{tenantId}/{magazineId}/{email}"));
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

        if (SealedBytes.Open(_key, bytes) is not { Length: > 0 } plain)
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
