using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LateReportTests(ClusterFixture fixture)
{
    private static BounceNotice UserUnknown(string id) =>
        new(id, BounceKinds.Bounce, "b:spring", "userunknown", "5.1.1", 550, true, "address-dead", "rfc3463.x.1.1", "550 5.1.1 User unknown", "smtp");

    [Fact]
    public async Task A_late_dead_address_report_is_stored_once_even_when_retried_or_sent_again_and_error_stops_the_reader()
    {
        var key = GrainKeys.Reader("t1", "news", $"r{Guid.NewGuid():N}@example.jp");
        var reader = fixture.Grains.GetGrain<ISubscriberGrain>(key);
        Assert.True((await reader.Subscribe(null, null, "api")).Succeeded);

        ClusterFixture.Store.FailNextAppendAfterCommit(); // the store commits, the answer is lost, the grain retries
        var first = await reader.RecordBounce(UserUnknown("dsn-1"));
        var again = await reader.RecordBounce(UserUnknown("dsn-1"));

        Assert.Equal((BounceRecordOutcome.Recorded, true), (first.Outcome, first.ErrorStopped));
        Assert.Equal(BounceRecordOutcome.Duplicate, again.Outcome);
        var types = (await ClusterFixture.Store.Inner.ReadStreamAsync($"reader:{key}")).Select(e => e.Type);
        Assert.Equal(["reader.subscribed", "reader.bounce-received", "reader.error-stopped"], types);
        Assert.Equal(SubscriberStatus.ErrorStopped, (await reader.Get())!.Status);
    }

    [Fact]
    public async Task A_tenant_counts_each_complaint_once()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>($"t{Guid.NewGuid():N}"[..20]);
        Assert.True((await tenant.Create("Acme")).Succeeded);

        Assert.True(await tenant.RecordComplaint("arf-1", "news", "a@example.jp", "b:spring"));
        Assert.False(await tenant.RecordComplaint("arf-1", "news", "a@example.jp", "b:spring"));
        Assert.True(await tenant.RecordComplaint("arf-2", "news", "b@example.jp", "b:spring"));

        var summary = await tenant.GetComplaints();
        Assert.Equal((2, 2), (summary.Total, summary.ByMessage["b:spring"]));
        Assert.Equal(["a@example.jp", "b@example.jp"], summary.Latest.Select(c => c.Email));
        Assert.Equal(2, (await tenant.Get())!.Complaints);
    }
}
