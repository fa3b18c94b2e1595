using System.Net;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Dns;

/// <summary>Source-generated log messages of the DNS adapter (event ids 4100–4199).</summary>
internal static partial class DnsLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "MX lookup of {Domain} failed for now: {Error}")]
    public static partial void MxTemporaryFailure(ILogger logger, string domain, string? error);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Sending IP {Ip} is listed on {Zone}: {ReturnCodes}")]
    public static partial void DnsblListed(ILogger logger, IPAddress ip, string zone, string returnCodes);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "DNSBL check of {Ip} on {Zone} gave no verdict: {Error}")]
    public static partial void DnsblNoVerdict(ILogger logger, IPAddress ip, string zone, string error);
}
