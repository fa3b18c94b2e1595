using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.EventStore;
using Hikyaku.EventStore.Serialization;
using Hikyaku.Grains.Storage;
using Hikyaku.Testing;

namespace Hikyaku.Grains.Tests;

/// <summary>The directories behind the list routes: what exists is listed, whenever and however it was created.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DirectoryTests(ClusterFixture fixture)
{
    private static readonly EventSerializer Serializer = new(HikyakuEventTypes.CreateRegistry());

    [Fact]
    public async Task Created_tenants_and_magazines_are_listed_in_id_order()
    {
        var tenant = "dir" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await fixture.Grains.GetGrain<ITenantGrain>(tenant).Create("T")).Succeeded);
        foreach (var m in new[] { "weekly", "daily" })
        {
            Assert.True((await fixture.Grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenant, m)).Create(m, "a@example.jp", null)).Succeeded);
        }

        Assert.Contains(tenant, await fixture.Grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.Tenants).Page(null, 100_000));
        Assert.Equal(["daily", "weekly"], await fixture.Grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.Magazines(tenant)).Page(null, 10));
    }

    [Fact]
    public async Task A_tenant_and_magazine_stored_before_the_directory_existed_are_listed_once_their_grains_wake()
    {
        // Streams written as an older version wrote them: the created events, and no directory entry.
        var tenant = "old" + Guid.NewGuid().ToString("N")[..8];
        var at = ClusterFixture.Time.GetUtcNow();
        await Append($"tenant:{tenant}", new TenantCreated(Guid.NewGuid(), at, "Old", "00"));
        await Append($"magazine:{tenant}/archive", new MagazineCreated(Guid.NewGuid(), at, "Archive", "a@example.jp", null));
        var magazines = fixture.Grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.Magazines(tenant));
        Assert.Empty(await magazines.Page(null, 10));

        Assert.NotNull(await fixture.Grains.GetGrain<ITenantGrain>(tenant).Get());
        Assert.NotNull(await fixture.Grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenant, "archive")).Get());

        // The waking grains tell the directories without waiting for them (a request's authentication must not).
        var tenants = fixture.Grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.Tenants);
        Assert.True(await Poll.UntilAsync(async () => (await tenants.Page(null, 100_000)).Contains(tenant), TimeSpan.FromSeconds(10)), "the old tenant was never listed");
        Assert.True(await Poll.UntilAsync(async () => (await magazines.Page(null, 10)).SequenceEqual(["archive"]), TimeSpan.FromSeconds(10)), "the old magazine was never listed");
    }

    private static async Task Append(string stream, IDomainEvent e)
    {
        var appended = await ClusterFixture.Store.Inner.AppendAsync(new AppendRequest(stream, 0, [Serializer.ToEventData(e, e.At, e.EventId)]));
        Assert.Equal(AppendStatus.Appended, appended.Status);
    }
}
