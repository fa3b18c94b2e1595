using System.Net;

namespace Hikyaku.MxSim;

/// <summary>Where and how one simulated provider runs.</summary>
public sealed class ProviderOptions
{
    /// <summary>The catalog profile to simulate, e.g. <c>microsoft</c>.</summary>
    public required string Profile { get; init; }

    /// <summary>The loopback address and port to listen on; port 0 takes a free port (see <see cref="SimulatedProvider.Endpoint"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The mailboxes that exist; others get the user-unknown reply unless <see cref="AcceptAll"/>.</summary>
    public IReadOnlyCollection<string> Mailboxes { get; init; } = [];

    /// <summary>Every address at the provider's domains exists (the sandbox default).</summary>
    public bool AcceptAll { get; init; }

    /// <summary>The behaviour toward every source IP without an override.</summary>
    public Behaviour DefaultBehaviour { get; init; } = Behaviour.Accept;

    /// <summary>Behaviours for particular source IPs, set at start.</summary>
    public IReadOnlyDictionary<string, Behaviour> SourceBehaviours { get; init; } = new Dictionary<string, Behaviour>();

    /// <summary>
    /// How long one SMTP session may last. SmtpServer's default (about 2 minutes) cuts off a sender
    /// that keeps a connection open for a long broadcast, so the simulator allows an hour.
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromHours(1);

    internal void Validate()
    {
        // The sandbox must never be reachable from outside the machine.
        if (!IPAddress.IsLoopback(Listen.Address))
            throw new ArgumentException($"Simulated provider '{Profile}' must listen on a loopback address, not {Listen.Address}.");
        if (SessionTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Simulated provider '{Profile}': SessionTimeout must be positive.");
    }
}
