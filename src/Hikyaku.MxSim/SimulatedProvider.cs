using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hikyaku.MxSim.Catalog;
using Hikyaku.MxSim.Journal;
using Hikyaku.MxSim.Policy;
using Hikyaku.MxSim.Smtp;
using SmtpServer;
using SmtpServer.ComponentModel;

namespace Hikyaku.MxSim;

/// <summary>
/// One simulated mailbox provider serving SMTP on a loopback endpoint: its mailboxes, its replies,
/// and a behaviour per source IP that can be switched while it runs.
/// </summary>
public sealed partial class SimulatedProvider : IAsyncDisposable
{
    readonly ProviderOptions _options;
    readonly TcpListener _listener;
    readonly ConcurrentDictionary<string, byte> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    readonly ConcurrentDictionary<IPAddress, Behaviour> _overrides = new();
    readonly CancellationTokenSource _stop = new();
    readonly RateWindow _rate = new();
    readonly Greylist _greylist = new();
    readonly TimeProvider _time;
    Behaviour _default;
    Task? _serving;

    /// <summary>Creates a provider; it listens once <see cref="StartAsync"/> has run.</summary>
    public SimulatedProvider(ProviderProfile profile, ProviderOptions options, DeliveryJournal journal, TimeProvider? time = null)
    {
        options.Validate();
        Profile = profile;
        Journal = journal;
        _options = options;
        _time = time ?? TimeProvider.System;
        _default = options.DefaultBehaviour;
        foreach (var mailbox in options.Mailboxes) AddMailbox(mailbox);
        foreach (var (ip, behaviour) in options.SourceBehaviours) SetBehaviour(behaviour, ip);
        _listener = new TcpListener(options.Listen);
    }

    /// <summary>The provider's catalog profile.</summary>
    public ProviderProfile Profile { get; }

    /// <summary>The provider's name, e.g. <c>microsoft</c>.</summary>
    public string Name => Profile.Name;

    /// <summary>The recipient domains this provider serves.</summary>
    public IReadOnlyList<string> Domains => Profile.Domains;

    /// <summary>Where the provider listens; the real port once started when configured with port 0.</summary>
    public IPEndPoint Endpoint => _serving is null ? _options.Listen : (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Whether every address at the provider's domains exists.</summary>
    public bool AcceptAll => _options.AcceptAll;

    /// <summary>Where this provider records what it accepted and refused.</summary>
    public DeliveryJournal Journal { get; }

    /// <summary>Makes <paramref name="address"/> an existing mailbox.</summary>
    public void AddMailbox(string address) => _mailboxes[address.Trim()] = 0;

    /// <summary>Whether <paramref name="address"/> exists here (always true with <see cref="AcceptAll"/>).</summary>
    public bool HasMailbox(string address) => AcceptAll || _mailboxes.ContainsKey(address);

    /// <summary>
    /// Sets the behaviour toward <paramref name="sourceIp"/>, or toward every source IP without an
    /// override when it is null. Takes effect for the next command of running sessions too.
    /// </summary>
    public void SetBehaviour(Behaviour behaviour, string? sourceIp = null)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        if (sourceIp is null) Volatile.Write(ref _default, behaviour);
        else _overrides[IPAddress.Parse(sourceIp)] = behaviour;
    }

    /// <summary>
    /// Removes the override for <paramref name="sourceIp"/>; with null, removes every override and
    /// makes the default <see cref="Behaviour.Accept"/>.
    /// </summary>
    public void ClearBehaviour(string? sourceIp = null)
    {
        if (sourceIp is not null)
        {
            _overrides.TryRemove(IPAddress.Parse(sourceIp), out _);
            return;
        }
        _overrides.Clear();
        Volatile.Write(ref _default, Behaviour.Accept);
    }

    /// <summary>The behaviour in force toward <paramref name="sourceIp"/>.</summary>
    public Behaviour BehaviourFor(IPAddress sourceIp) =>
        _overrides.TryGetValue(sourceIp, out var behaviour) ? behaviour : Volatile.Read(ref _default);

    /// <summary>Binds the endpoint and starts serving SMTP; returns once the port is open.</summary>
    /// <exception cref="SocketException">The endpoint cannot be bound (in use, or not a local address).</exception>
    public Task StartAsync()
    {
        if (_serving is not null) throw new InvalidOperationException($"Simulated provider '{Name}' is already started.");
        _listener.Start();
        var options = new SmtpServerOptionsBuilder()
            .ServerName(Profile.MxHost)
            // SmtpServer closes a session after this many refused commands in a row; a disguised
            // block refuses every RCPT, and real providers keep answering.
            .MaxRetryCount(int.MaxValue)
            .CommandWaitTimeout(TimeSpan.FromMinutes(5))
            .Endpoint(e => e.Endpoint(_options.Listen).SessionTimeout(_options.SessionTimeout))
            .Build();
        var services = new ServiceProvider();
        services.Add(new SimulatorListenerFactory(_listener, DropsAtConnect));
        services.Add(new ProviderMailboxFilter(this));
        services.Add(new ProviderMessageStore(this));
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and ends open sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_serving is not null)
        {
            try
            {
                await _serving.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Cancellation is how the server is told to stop.
            }
        }
        _listener.Stop();
        _stop.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} on {Endpoint} ({string.Join(", ", Domains)})";
}
