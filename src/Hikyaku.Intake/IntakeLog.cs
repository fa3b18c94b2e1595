using Microsoft.Extensions.Logging;

namespace Hikyaku.Intake;

/// <summary>Source-generated log messages of the bounce intake (event ids 4600–4699). No secret is ever logged.</summary>
internal static partial class IntakeLog
{
    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "Bounce listener refused RCPT TO <{Recipient}> from {Client}: {Reason}")]
    public static partial void RecipientRefused(ILogger logger, string recipient, string client, string reason);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information,
        Message = "{Kind} via {Via} for {TenantId}/{MagazineId}/{Email} ({MessageKey}): {Reason}, {Action} -> {Outcome}{Effect}")]
    public static partial void Recorded(ILogger logger, string kind, string via, string tenantId, string magazineId, string email, string messageKey,
        string reason, string action, string outcome, string effect);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Information, Message = "{Kind} via {Via} for {TenantId}/{MagazineId} ({MessageKey}) changes nothing; not recorded")]
    public static partial void NothingToRecord(ILogger logger, string kind, string via, string tenantId, string magazineId, string messageKey);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Warning, Message = "Report {BounceId} via {Via} names no return path of ours{Refused}; set aside")]
    public static partial void NoReturnPath(ILogger logger, string bounceId, string via, string refused);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Warning, Message = "Report via {Via} is not a readable message: {Error}; set aside")]
    public static partial void Unreadable(ILogger logger, string via, string error);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Error, Message = "Report {BounceId} via {Via} could not be recorded; it will be tried again")]
    public static partial void RecordFailed(ILogger logger, string bounceId, string via, Exception exception);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Information, Message = "Bounce listener for {Domain} listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string domain, string endPoint);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Information, Message = "Polling {Protocol} mailbox {Mailbox} every {Interval}")]
    public static partial void Polling(ILogger logger, string protocol, string mailbox, TimeSpan interval);

    [LoggerMessage(EventId = 4609, Level = LogLevel.Warning, Message = "Polling {Protocol} mailbox {Mailbox} failed: {Error}")]
    public static partial void PollFailed(ILogger logger, string protocol, string mailbox, string error, Exception exception);

    [LoggerMessage(EventId = 4610, Level = LogLevel.Information, Message = "{Protocol} mailbox {Mailbox}: {Processed} report(s) processed, {SetAside} set aside")]
    public static partial void Polled(ILogger logger, string protocol, string mailbox, int processed, int setAside);
}
