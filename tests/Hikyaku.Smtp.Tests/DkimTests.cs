using System.Security.Cryptography;
using Hikyaku.Smtp.Composition;
using Hikyaku.Smtp.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Hikyaku.Smtp.Tests;

public sealed class DkimTests
{
    [Fact]
    public async Task Signed_message_verifies_with_mimekits_verifier_and_covers_the_unsubscribe_headers()
    {
        using var key = DkimKey.Generate("magazine.example.jp", "hk2026");
        var composed = new MessageComposer(Sandbox.Issue() with { Dkim = key }).Compose("taro@gmail.com", "tok/1");

        var message = MimeMessage.Load(new MemoryStream(composed.Content.ToArray()));
        var signature = message.Headers[HeaderId.DkimSignature] ?? "";
        var verifier = new DkimVerifier(new OneKeyLocator(key));

        Assert.True(await verifier.VerifyAsync(message, message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)]));
        var signed = Tag(signature, "h").Split(':');
        Assert.Contains("list-unsubscribe", signed);
        Assert.Contains("list-unsubscribe-post", signed);
        Assert.Contains("from", signed);
        Assert.Equal(("magazine.example.jp", "hk2026", "relaxed/relaxed"), (Tag(signature, "d"), Tag(signature, "s"), Tag(signature, "c")));
        Assert.Equal("<https://hikyaku.example/u/tok%2F1>", message.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[HeaderId.ListUnsubscribePost]);
    }

    [Fact]
    public async Task A_pkcs1_pem_key_signs_as_well_as_pkcs8()
    {
        using var rsa = RSA.Create(2048);
        using var key = DkimKey.FromPem(rsa.ExportRSAPrivateKeyPem(), "magazine.example.jp", "pk1");
        var composed = new MessageComposer(Sandbox.Issue() with { Dkim = key }).Compose("taro@hotmail.co.jp", "t");

        var message = MimeMessage.Load(new MemoryStream(composed.Content.ToArray()));

        Assert.True(await new DkimVerifier(new OneKeyLocator(key)).VerifyAsync(message, message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    [Fact]
    public void A_tampered_unsubscribe_link_breaks_the_signature()
    {
        using var key = DkimKey.Generate("magazine.example.jp", "hk2026");
        var composed = new MessageComposer(Sandbox.Issue() with { Dkim = key }).Compose("taro@gmail.com", "tok");
        var message = MimeMessage.Load(new MemoryStream(composed.Content.ToArray()));

        message.Headers[HeaderId.ListUnsubscribe] = "<https://evil.example/u/tok>";

        Assert.False(new DkimVerifier(new OneKeyLocator(key)).Verify(message, message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    [Fact]
    public void A_public_key_alone_is_refused_as_a_signing_key()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<ArgumentException>(() => DkimKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem(), "magazine.example.jp", "s"));
    }

    [Fact]
    public void Unsigned_message_has_the_one_click_headers_and_no_signature()
    {
        var composed = new MessageComposer(Sandbox.Issue() with { ListUnsubscribeMailto = "unsub@magazine.example.jp" }).Compose("taro@gmail.com", "tok");
        var message = MimeMessage.Load(new MemoryStream(composed.Content.ToArray()));

        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
        Assert.Equal("<https://hikyaku.example/u/tok>, <mailto:unsub@magazine.example.jp>", message.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[HeaderId.ListUnsubscribePost]);
        Assert.Equal("本文です。\nよろしくお願いします。\n", message.TextBody?.Replace("\r\n", "\n"));
        Assert.Equal("<p>本文です。</p>", message.HtmlBody);
        Assert.Equal("bounce@magazine.example.jp", composed.EnvelopeFrom);
    }

    static string Tag(string signature, string name) =>
        signature.Split(';').Select(t => t.Trim()).First(t => t.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..].Replace(" ", "").Replace("\t", "").Replace("\r\n", "");

    /// <summary>Stands in for DNS: the TXT record of the one key under test.</summary>
    sealed class OneKeyLocator(DkimKey key) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            domain == key.Domain && selector == key.Selector ? GetPublicKey(key.DnsRecord) : throw new ArgumentException($"no key for {selector}._domainkey.{domain}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
