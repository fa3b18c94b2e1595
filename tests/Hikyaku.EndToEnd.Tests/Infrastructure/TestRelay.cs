using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hikyaku.Testing;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>A message a <see cref="TestRelay"/> took: for whom, from which address, under which login, when.</summary>
public sealed record RelayedMessage(DateTimeOffset Time, string Recipient, string? User, string SourceIp, string Subject);

/// <summary>
/// A smarthost on loopback as a hosting customer's relay is: STARTTLS with its own (self-signed) certificate, SMTP AUTH
/// (PLAIN/LOGIN) required and only after TLS, one user and password, and a per-minute cap on accepted recipients (451
/// beyond it). Everything it took is in <see cref="Relayed"/>.
/// </summary>
public sealed class TestRelay : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private TestRelay(string user, string password, int perMinute)
    {
        Port = TempPostgres.FreeLoopbackPort();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=relay.hikyaku.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("relay.hikyaku.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).Certificate(Certificate).AllowUnsecureAuthentication(false).AuthenticationRequired(true))
            .Build();
        var services = new ServiceProvider();
        services.Add(new DelegatingUserAuthenticator((u, p) => u == user && p == password));
        services.Add(new CapFilter(this, perMinute));
        services.Add(new Store(this));
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>The SHA-256 fingerprint a silo is told to accept (<c>Delivery:TrustedRelayCertificates</c>).</summary>
    public string Fingerprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public ConcurrentQueue<RelayedMessage> Relayed { get; } = new();

    /// <summary>Recipients refused for the per-minute cap.</summary>
    public int OverCap => _overCap;

    private int _overCap;

    public static TestRelay Start(string user, string password, int perMinute) => new(user, password, perMinute);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }

        Certificate.Dispose();
    }

    private static string SourceOf(ISessionContext context) =>
        context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var remote) && remote is IPEndPoint ip ? ip.Address.ToString() : "?";

    private sealed class CapFilter(TestRelay relay, int perMinute) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            var since = DateTimeOffset.UtcNow.AddSeconds(-60);
            if (relay.Relayed.Count(m => m.Time > since) >= perMinute)
            {
                Interlocked.Increment(ref relay._overCap);
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)451, $"4.7.1 more than {perMinute} recipients a minute; try again later"));
            }

            return Task.FromResult(true);
        }
    }

    private sealed class Store(TestRelay relay) : IMessageStore
    {
        public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            var subject = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))?[8..].Trim() ?? string.Empty;
            foreach (var to in transaction.To)
            {
                relay.Relayed.Enqueue(new RelayedMessage(DateTimeOffset.UtcNow, $"{to.User}@{to.Host}", context.Authentication.User, SourceOf(context), subject));
            }

            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
