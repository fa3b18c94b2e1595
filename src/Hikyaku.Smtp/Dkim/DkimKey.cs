using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Security;

namespace Hikyaku.Smtp.Dkim;

/// <summary>
/// A tenant's DKIM key (RFC 6376): an RSA private key with the domain and selector it signs for.
/// Signing goes through .NET's RSA (OpenSSL), about six times faster than MimeKit's BouncyCastle
/// path (NOTES-ORLEANS10.md, "DKIM signing cost").
/// </summary>
public sealed class DkimKey : IDisposable
{
    readonly RSA _rsa;

    DkimKey(RSA rsa, string domain, string selector)
    {
        _rsa = rsa;
        Domain = domain;
        Selector = selector;
    }

    /// <summary>The signing domain (<c>d=</c>).</summary>
    public string Domain { get; }

    /// <summary>The selector (<c>s=</c>): the key is published at <c>{selector}._domainkey.{domain}</c>.</summary>
    public string Selector { get; }

    /// <summary>The key size in bits.</summary>
    public int KeySize => _rsa.KeySize;

    /// <summary>
    /// Loads an RSA private key from PEM, PKCS#1 (<c>BEGIN RSA PRIVATE KEY</c>) or PKCS#8
    /// (<c>BEGIN PRIVATE KEY</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The PEM holds no RSA private key, or the domain or selector is empty.</exception>
    public static DkimKey FromPem(string pem, string domain, string selector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // ImportFromPem also takes a public key; signing needs the private half.
            rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new ArgumentException("The PEM text holds no RSA private key.", nameof(pem), e);
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new ArgumentException("The PEM text holds no RSA private key.", nameof(pem), e);
        }
        return new DkimKey(rsa, domain.Trim().TrimEnd('.'), selector.Trim());
    }

    /// <summary>A new 2048-bit key (RFC 8301 asks for at least 1024; 2048 is what providers expect).</summary>
    public static DkimKey Generate(string domain, string selector, int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        return FromPem(rsa.ExportPkcs8PrivateKeyPem(), domain, selector);
    }

    /// <summary>The TXT record to publish at <c>{Selector}._domainkey.{Domain}</c>.</summary>
    public string DnsRecord => $"v=DKIM1; k=rsa; p={Convert.ToBase64String(_rsa.ExportSubjectPublicKeyInfo())}";

    /// <summary>The private key as PKCS#8 PEM (for storing it; treat as a secret).</summary>
    public string ExportPem() => _rsa.ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// A MimeKit signer for this key: relaxed/relaxed canonicalisation (RFC 6376 §3.4, tolerant of
    /// relays that re-fold headers or trailing whitespace), RSA-SHA256 through .NET.
    /// </summary>
    public DkimSigner CreateSigner()
    {
        // MimeKit's signer wants a BouncyCastle key; it is only carried, never used to sign.
        var bouncyKey = DotNetUtilities.GetRsaKeyPair(_rsa.ExportParameters(includePrivateParameters: true)).Private;
        return new DotNetRsaDkimSigner(_rsa, bouncyKey, Domain, Selector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}
