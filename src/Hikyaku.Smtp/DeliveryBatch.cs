using System.Net;

namespace Hikyaku.Smtp;

/// <summary>
/// Messages for one lane — one sending IP toward one MX — to be sent over that lane's pooled
/// connections.
/// </summary>
/// <param name="SourceIp">The tenant's sending IP the connections are bound to.</param>
/// <param name="MxHost">The MX host name (recorded in outcomes; the connection goes to <paramref name="Target"/>).</param>
/// <param name="Target">The address and port to connect to (from DNS or <c>Delivery:Routes</c>).</param>
/// <param name="Messages">What to send, in order of preference.</param>
/// <param name="MaxConnections">The lane's concurrency: at most this many connections carry this batch at once.</param>
public sealed record DeliveryBatch(
    IPAddress SourceIp,
    string MxHost,
    IPEndPoint Target,
    IReadOnlyList<OutboundMessage> Messages,
    int MaxConnections = 1)
{
    /// <summary>
    /// Called with each outcome as soon as it is known; true halts the batch: messages not yet started are not sent
    /// and come back <see cref="DeliveryOutcomeKind.NotAttempted"/> (Hikyaku's own, retryable, never evidence). A lane
    /// halts when a reply suggests the provider is refusing the sending IP, so that few recipients are offered on a
    /// blocked lane before it is judged. Null: never halt.
    /// </summary>
    public Func<DeliveryOutcome, bool>? Halt { get; init; }

    /// <summary>Send through the tenant's relay: <see cref="Target"/> is the relay, and the session authenticates. Null: an MX.</summary>
    public RelayLogin? Relay { get; init; }
}
