using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Bounces;
using Hikyaku.Grains.Storage;
using Hikyaku.Intake.Processing;

namespace Hikyaku.Silo.Hosting;

/// <summary>
/// Hands a classified report to the reader's grain, and a complaint also to the tenant's (its complaint count).
/// The tenant is told even when the reader had the complaint already: a first try may have failed in between,
/// and the tenant counts each complaint once.
/// </summary>
public sealed class GrainBounceRecorder(IGrainFactory grains) : IBounceRecorder
{
    public async Task<BounceRecordResult> RecordAsync(ReturnPath path, BounceNotice notice, CancellationToken cancellationToken)
    {
        var reader = grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader(path.TenantId, path.MagazineId, path.Email));
        var result = await reader.RecordBounce(notice).WaitAsync(cancellationToken);
        if (notice.Kind == BounceKinds.Complaint && result.Outcome != BounceRecordOutcome.NoReader)
        {
            await grains.GetGrain<ITenantGrain>(path.TenantId).RecordComplaint(notice.BounceId, path.MagazineId, path.Email, path.MessageKey).WaitAsync(cancellationToken);
        }

        return result;
    }
}
