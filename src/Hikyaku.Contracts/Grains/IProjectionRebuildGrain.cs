using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// Rebuilds a projection from the event log as a background job that resumes from its checkpoint after a
/// silo restart. Key: the projection's name (<c>subscribers</c>).
/// </summary>
[Alias("hikyaku.IProjectionRebuildGrain")]
public interface IProjectionRebuildGrain : IGrainWithStringKey
{
    /// <summary>Starts a full rebuild from the beginning of the log; while one is running, returns its progress and starts nothing.</summary>
    [Alias("Start")]
    Task<ProjectionRebuildProgress> Start();

    [Alias("GetProgress")]
    Task<ProjectionRebuildProgress> GetProgress();
}
