using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Append to {StreamId} at version {ExpectedVersion} failed (attempt {Attempt}); retrying the same events")]
    public static partial void AppendRetry(ILogger logger, string streamId, int expectedVersion, int attempt, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Snapshot of {StreamId} at version {Version} could not be written")]
    public static partial void SnapshotFailed(ILogger logger, string streamId, int version, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Append to {StreamId} at version {ExpectedVersion} had already landed; not written twice")]
    public static partial void AlreadyAppended(ILogger logger, string streamId, int expectedVersion);
}
