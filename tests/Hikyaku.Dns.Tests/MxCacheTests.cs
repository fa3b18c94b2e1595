using Hikyaku.Dns.Tests.Server;
using Hikyaku.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Dns.Tests;

public sealed class MxCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private LoopbackDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackDnsServer.Start(TestZones.Mail);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Second_lookup_within_the_ttl_asks_no_name_server()
    {
        var resolver = new MxResolver(_server.Options(), _time);

        await resolver.ResolveAsync("multi.test");
        _time.Advance(TimeSpan.FromSeconds(119));
        var again = await resolver.ResolveAsync("MULTI.test");

        Assert.Equal(MxStatus.Ok, again.Status);
        Assert.Equal(1, _server.Questions("multi.test", ZoneText.Mx));
        Assert.Equal(1, _server.Questions("mx2.multi.test", ZoneText.A));
    }

    [Fact]
    public async Task Answer_is_asked_again_once_its_smallest_ttl_has_passed()
    {
        var resolver = new MxResolver(_server.Options(), _time);

        await resolver.ResolveAsync("multi.test");
        _time.Advance(TimeSpan.FromSeconds(120));
        await resolver.ResolveAsync("multi.test");

        Assert.Equal(2, _server.Questions("multi.test", ZoneText.Mx));
    }

    [Fact]
    public async Task Tiny_ttl_is_raised_to_the_cache_minimum()
    {
        var resolver = new MxResolver(_server.Options(o => o.MinTtl = TimeSpan.FromSeconds(30)), _time);

        await resolver.ResolveAsync("short.test");
        _time.Advance(TimeSpan.FromSeconds(29));
        await resolver.ResolveAsync("short.test");
        var afterMinimum = _server.Questions("short.test", ZoneText.Mx);
        _time.Advance(TimeSpan.FromSeconds(1));
        await resolver.ResolveAsync("short.test");

        Assert.Equal((1, 2), (afterMinimum, _server.Questions("short.test", ZoneText.Mx)));
    }

    [Fact]
    public async Task Nxdomain_is_cached_for_the_soa_minimum()
    {
        var resolver = new MxResolver(_server.Options(o => o.MinTtl = TimeSpan.Zero), _time);

        await resolver.ResolveAsync("nosuch.test");
        _time.Advance(TimeSpan.FromSeconds(59));
        await resolver.ResolveAsync("nosuch.test");
        var withinNegativeTtl = _server.Questions("nosuch.test", ZoneText.Mx);
        _time.Advance(TimeSpan.FromSeconds(1));
        var later = await resolver.ResolveAsync("nosuch.test");

        Assert.Equal((1, 2), (withinNegativeTtl, _server.Questions("nosuch.test", ZoneText.Mx)));
        Assert.Equal(MxStatus.NoSuchDomain, later.Status);
    }

    [Fact]
    public async Task Temporary_failure_is_forgotten_quickly_so_a_repaired_domain_resolves()
    {
        var resolver = new MxResolver(_server.Options(o => o.TemporaryFailureTtl = TimeSpan.FromSeconds(10)), _time);

        var failed = await resolver.ResolveAsync("broken.test");
        _server.Load(TestZones.Mail.Replace("broken.test. SERVFAIL", "broken.test. 300 IN A 192.0.2.20"));
        var stillRemembered = await resolver.ResolveAsync("broken.test");
        _time.Advance(TimeSpan.FromSeconds(10));
        var repaired = await resolver.ResolveAsync("broken.test");

        Assert.Equal(
            [MxStatus.TemporaryFailure, MxStatus.TemporaryFailure, MxStatus.Ok],
            [failed.Status, stillRemembered.Status, repaired.Status]);
        Assert.True(repaired.ImplicitMx);
    }

    [Fact]
    public async Task Concurrent_lookups_of_one_domain_share_one_query()
    {
        // No caching at all: whatever sharing happens is the in-flight deduplication.
        var resolver = new MxResolver(_server.Options(o => { o.MinTtl = TimeSpan.Zero; o.MaxTtl = TimeSpan.Zero; }), _time);
        _server.AnswerDelay = TimeSpan.FromMilliseconds(200);

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => resolver.ResolveAsync("multi.test")));
        await resolver.ResolveAsync("multi.test");

        Assert.All(all, mx => Assert.Equal(MxStatus.Ok, mx.Status));
        Assert.Equal(2, _server.Questions("multi.test", ZoneText.Mx));
    }

    [Fact]
    public async Task A_caller_giving_up_does_not_cancel_the_shared_query()
    {
        var resolver = new MxResolver(_server.Options(), _time);
        _server.AnswerDelay = TimeSpan.FromMilliseconds(200);
        using var impatient = new CancellationTokenSource();

        var cancelled = resolver.ResolveAsync("multi.test", impatient.Token);
        var patient = resolver.ResolveAsync("multi.test");
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(MxStatus.Ok, (await patient).Status);
        Assert.Equal(1, _server.Questions("multi.test", ZoneText.Mx));
    }
}
