using Hikyaku.Domain.Secrets;

namespace Hikyaku.Domain.Tests;

public sealed class SecretBoxTests
{
    [Fact]
    public void A_sealed_secret_opens_with_the_same_cluster_secret_and_does_not_show_in_the_sealed_text()
    {
        var box = new SecretBox("cluster-secret-1");
        var sealedValue = box.Seal("relay-p@ssw0rd");

        Assert.DoesNotContain("relay-p@ssw0rd", sealedValue);
        Assert.True(SecretBox.IsSealed(sealedValue));
        Assert.True(box.TryOpen(sealedValue, out var opened));
        Assert.Equal("relay-p@ssw0rd", opened);
        Assert.NotEqual(sealedValue, box.Seal("relay-p@ssw0rd")); // a fresh nonce every time
    }

    [Fact]
    public void Another_cluster_secret_an_altered_value_or_plain_text_do_not_open()
    {
        var sealedValue = new SecretBox("cluster-secret-1").Seal("relay-p@ssw0rd");
        var box = new SecretBox("cluster-secret-2");
        var chars = sealedValue.ToCharArray();
        chars[^5] = chars[^5] == 'A' ? 'B' : 'A';

        Assert.False(box.TryOpen(sealedValue, out _));
        Assert.False(new SecretBox("cluster-secret-1").TryOpen(new string(chars), out _));
        Assert.False(box.TryOpen("relay-p@ssw0rd", out _));
        Assert.False(box.TryOpen("sealed.v1.!!!", out _));
        Assert.False(box.TryOpen(null, out _));
    }
}
