using System.Net;

namespace Hikyaku.MxSim.Journal;

/// <summary>
/// Thread-safe record of what the simulated providers accepted and refused, shared by every
/// provider of a host, with the queries delivery tests ask ("was each reader delivered exactly
/// once?", "what came from 127.0.0.2?").
/// </summary>
public sealed class DeliveryJournal
{
    readonly Lock _gate = new();
    readonly List<AcceptedMessage> _accepted = [];
    readonly List<RejectedAttempt> _rejected = [];

    /// <summary>
    /// Whether accepted entries carry the whole message as received (to check signatures or bodies). Off by default:
    /// the sink must keep up with thousands of messages a second.
    /// </summary>
    public bool KeepContent { get; set; }

    /// <summary>A snapshot of every accepted (message, recipient), in arrival order.</summary>
    public IReadOnlyList<AcceptedMessage> Accepted
    {
        get { lock (_gate) return _accepted.ToArray(); }
    }

    /// <summary>A snapshot of every refusal and drop, in order.</summary>
    public IReadOnlyList<RejectedAttempt> Rejected
    {
        get { lock (_gate) return _rejected.ToArray(); }
    }

    /// <summary>How many (message, recipient) pairs were accepted.</summary>
    public int AcceptedCount
    {
        get { lock (_gate) return _accepted.Count; }
    }

    /// <summary>How many messages <paramref name="recipient"/> received (case-insensitive).</summary>
    public int CountFor(string recipient) => ForRecipient(recipient).Count;

    /// <summary>The messages <paramref name="recipient"/> received, in order.</summary>
    public IReadOnlyList<AcceptedMessage> ForRecipient(string recipient) =>
        Where(m => string.Equals(m.Recipient, recipient, StringComparison.OrdinalIgnoreCase));

    /// <summary>The messages accepted from the source IP <paramref name="sourceIp"/>.</summary>
    public IReadOnlyList<AcceptedMessage> FromSource(string sourceIp)
    {
        var address = IPAddress.Parse(sourceIp);
        return Where(m => m.SourceIp.Equals(address));
    }

    /// <summary>The messages one provider accepted.</summary>
    public IReadOnlyList<AcceptedMessage> ForProvider(string provider) =>
        Where(m => string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase));

    /// <summary>Accepted counts per source IP.</summary>
    public IReadOnlyDictionary<IPAddress, int> CountsBySource()
    {
        lock (_gate) return _accepted.GroupBy(m => m.SourceIp).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>
    /// (recipient, Message-ID) pairs accepted more than once: a message delivered twice to the same
    /// reader, which "no accepted send is lost, duplicates bounded" lets a test bound.
    /// </summary>
    public IReadOnlyList<(string Recipient, string MessageId, int Count)> Duplicates()
    {
        lock (_gate)
        {
            return _accepted
                .Where(m => m.MessageId is not null)
                .GroupBy(m => (Recipient: m.Recipient.ToLowerInvariant(), MessageId: m.MessageId!))
                .Where(g => g.Count() > 1)
                .Select(g => (g.Key.Recipient, g.Key.MessageId, g.Count()))
                .ToList();
        }
    }

    /// <summary>The refusals given to <paramref name="recipient"/>.</summary>
    public IReadOnlyList<RejectedAttempt> RejectionsFor(string recipient)
    {
        lock (_gate) return _rejected.Where(r => string.Equals(r.Recipient, recipient, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Forgets everything recorded so far (between phases of a test).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _accepted.Clear();
            _rejected.Clear();
        }
    }

    internal void Record(AcceptedMessage message)
    {
        lock (_gate) _accepted.Add(message);
    }

    internal void Record(RejectedAttempt rejection)
    {
        lock (_gate) _rejected.Add(rejection);
    }

    IReadOnlyList<AcceptedMessage> Where(Func<AcceptedMessage, bool> predicate)
    {
        lock (_gate) return _accepted.Where(predicate).ToList();
    }
}
