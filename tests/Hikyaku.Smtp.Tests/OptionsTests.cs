namespace Hikyaku.Smtp.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Routes_match_exact_domains_before_wildcards_and_wildcards_only_below_their_domain()
    {
        var routes = new DeliveryRoutes(new Dictionary<string, string>
        {
            ["example.jp"] = "127.0.0.1:2525",
            ["*.example.jp"] = "127.0.0.1:2526",
            ["*.mail.example.jp"] = "[::1]:2527",
        });

        Assert.True(routes.TryResolve("Example.JP.", out var host, out var port));
        Assert.Equal(("127.0.0.1", 2525), (host, port));
        Assert.True(routes.TryResolve("sub.example.jp", out host, out port));
        Assert.Equal(("127.0.0.1", 2526), (host, port));
        Assert.True(routes.TryResolve("x.mail.example.jp", out host, out port));
        Assert.Equal(("::1", 2527), (host, port));
        Assert.False(routes.TryResolve("example.com", out _, out _));
    }

    [Fact]
    public void Defaults_are_valid_and_bad_values_are_named()
    {
        Assert.Empty(new DeliveryOptions().Validate());
        Assert.Equal(25, new DeliveryOptions().SmtpPort);
        Assert.True(new DeliveryOptions().Sandbox);

        var errors = new DeliveryOptions
        {
            SmtpPort = 0,
            MaxMessagesPerConnection = 0,
            Routes = new() { ["*.example.jp"] = "nowhere", ["bad pattern"] = "127.0.0.1:25" },
        }.Validate();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("SmtpPort"));
        Assert.Contains(errors, e => e.Contains("'nowhere'"));
        Assert.Contains(errors, e => e.Contains("'bad pattern'"));
        Assert.Throws<ArgumentException>(() => new SmtpSender(new DeliveryOptions { SmtpPort = 0 }));
    }
}
