using Microsoft.Extensions.Logging;

namespace Hikyaku.EventStore;

/// <summary>Event store log messages; event ids 3100–3199 belong to the event store.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "An append batch of {Count} appends failed; its callers see the error and retry")]
    public static partial void AppendBatchFailed(this ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Event store schema ready on {Backend} ({Target})")]
    public static partial void SchemaReady(this ILogger logger, string backend, string target);
}
