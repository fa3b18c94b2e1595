using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Domain.Tenants;

/// <summary>
/// Tenant API keys look like <c>hk.{tenantId}.{secret}</c>: the tenant part routes the check to the tenant's grain
/// without a global lookup, the 256-bit random secret is what proves it. Only SHA-256 of the secret is stored;
/// a slow password hash is not needed for a random secret of that size.
/// </summary>
public static class ApiKey
{
    private const string Prefix = "hk.";

    public static (string Key, string SecretHash) Create(string tenantId)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{tenantId}.{secret}", HashSecret(secret));
    }

    public static bool TryParse(string? key, out string tenantId, out string secretHash)
    {
        tenantId = secretHash = string.Empty;
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(Prefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0 || dot == rest.Length - 1)
        {
            return false;
        }

        tenantId = rest[..dot].ToString();
        secretHash = HashSecret(rest[(dot + 1)..].ToString());
        return true;
    }

    public static string HashSecret(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of two hex hashes.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
