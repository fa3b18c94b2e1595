using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hikyaku.Testing.Dns;

/// <summary>
/// A real authoritative DNS server on 127.0.0.1 (UDP, a free port) answering from
/// <see cref="ZoneText"/>, so tests exercise DnsClient over the wire instead of mocking it. It
/// counts the questions it receives and can delay its answers.
/// </summary>
public sealed class LoopbackDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string Name, ushort Type)> _questions = new();
    private readonly Task _loop;
    private ZoneText _zone;

    private LoopbackDnsServer(ZoneText zone)
    {
        _zone = zone;
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>How long each answer is held back (for in-flight deduplication tests).</summary>
    public TimeSpan AnswerDelay { get; set; }

    public static LoopbackDnsServer Start(string zoneText) => new(ZoneText.Parse(zoneText));

    /// <summary>Replaces the zone, as an operator's change would.</summary>
    public void Load(string zoneText) => _zone = ZoneText.Parse(zoneText);

    /// <summary>How many questions for <paramref name="name"/> (of <paramref name="type"/>, if given) arrived.</summary>
    public int Questions(string name, ushort? type = null) =>
        _questions.Count(q => q.Name == ZoneText.Name(name) && (type is null || q.Type == type));

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = AnswerAsync(received);
        }
    }

    private async Task AnswerAsync(UdpReceiveResult received)
    {
        var question = DnsWire.ReadQuestion(received.Buffer);
        _questions.Enqueue((question.Name, question.Type));
        var response = Respond(_zone, question);
        if (response is null)
        {
            return;
        }
        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay);
        }
        try
        {
            await _udp.SendAsync(response, received.RemoteEndPoint, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The test has finished with the server.
        }
    }

    private static byte[]? Respond(ZoneText zone, DnsWire.Question q)
    {
        switch (zone.Failures.GetValueOrDefault(q.Name))
        {
            case "DROP": return null;
            case "SERVFAIL": return DnsWire.WriteResponse(q, DnsWire.ServFail, [], []);
            case "REFUSED": return DnsWire.WriteResponse(q, DnsWire.Refused, [], []);
        }
        var answers = zone.Records.Where(r => r.Owner == q.Name && (r.Type == q.Type || r.Type == ZoneText.Cname)).ToArray();
        if (answers.Length > 0)
        {
            return DnsWire.WriteResponse(q, DnsWire.NoError, answers, []);
        }
        // RFC 2308: NODATA and NXDOMAIN carry the zone's SOA so the client can cache the negative answer.
        var soa = zone.Records.Where(r => r.Type == ZoneText.Soa && (q.Name == r.Owner || q.Name.EndsWith("." + r.Owner, StringComparison.Ordinal)))
            .OrderByDescending(r => r.Owner.Length).Take(1).ToArray();
        var exists = zone.Records.Any(r => r.Owner == q.Name || r.Owner.EndsWith("." + q.Name, StringComparison.Ordinal));
        return DnsWire.WriteResponse(q, exists ? DnsWire.NoError : DnsWire.NxDomain, [], soa);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
