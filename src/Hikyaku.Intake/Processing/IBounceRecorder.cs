using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Bounces;

namespace Hikyaku.Intake.Processing;

/// <summary>
/// Where classified reports go: the reader's history and, for a complaint, the tenant's count. The silo's
/// implementation calls the grains; both sides are idempotent per report, so a report may be handed over again.
/// </summary>
public interface IBounceRecorder
{
    /// <exception cref="Exception">The cluster could not be reached: the report must be tried again later.</exception>
    Task<BounceRecordResult> RecordAsync(ReturnPath path, BounceNotice notice, CancellationToken cancellationToken);
}
