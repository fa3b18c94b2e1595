using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Projections;

/// <summary>Projection rebuild log messages; event ids 1100–1199.</summary>
internal static partial class ProjectionLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Rebuild of projection {Projection} started from the beginning of the log")]
    public static partial void RebuildStarted(ILogger logger, string projection);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Rebuild of projection {Projection} resumed from checkpoint {Position}")]
    public static partial void RebuildResumed(ILogger logger, string projection, long position);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Rebuild of projection {Projection} failed at checkpoint {Position}; it resumes from there within a minute")]
    public static partial void RebuildFailed(ILogger logger, string projection, long position, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Rebuild of projection {Projection} finished at position {Position}: {Streams} reader streams, {Rows} rows written")]
    public static partial void RebuildFinished(ILogger logger, string projection, long position, long streams, long rows);
}
