using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hikyaku.MxSim;

/// <summary>
/// The JSON file the runnable simulator reads (<c>--config</c>): which providers to run, where, with
/// which mailboxes and behaviours. Example:
/// <code>
/// { "providers": [ { "profile": "microsoft", "listen": "127.0.0.1:2525", "mailboxes": ["taro@hotmail.com"],
///     "sourceBehaviours": { "127.0.0.2": { "kind": "DisguisedBlock" } } } ] }
/// </code>
/// </summary>
public sealed record MxSimConfig(IReadOnlyList<MxSimConfig.Provider> Providers)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a configuration file.</summary>
    /// <exception cref="InvalidDataException">The file is empty or malformed.</exception>
    public static MxSimConfig Load(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize<MxSimConfig>(stream, Json) is { Providers.Count: > 0 } config
                ? config
                : throw new InvalidDataException($"{path}: no providers configured.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The options of each configured provider.</summary>
    public IEnumerable<ProviderOptions> ToOptions() => Providers.Select(p => new ProviderOptions
    {
        Profile = p.Profile,
        Listen = p.Listen is null ? new IPEndPoint(IPAddress.Loopback, 0) : IPEndPoint.Parse(p.Listen),
        Mailboxes = p.Mailboxes ?? [],
        AcceptAll = p.AcceptAll ?? p.Mailboxes is null,
        DefaultBehaviour = p.Behaviour?.ToBehaviour() ?? MxSim.Behaviour.Accept,
        SourceBehaviours = (p.SourceBehaviours ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.ToBehaviour()),
    });

    /// <summary>One provider: catalog profile, <c>ip:port</c>, mailboxes (none listed means accept all), behaviours.</summary>
    public sealed record Provider(
        string Profile,
        string? Listen,
        IReadOnlyList<string>? Mailboxes,
        bool? AcceptAll,
        BehaviourConfig? Behaviour,
        Dictionary<string, BehaviourConfig>? SourceBehaviours);

    /// <summary>A behaviour in JSON: its kind and the parameter that kind takes.</summary>
    public sealed record BehaviourConfig(BehaviourKind Kind, int? MessagesPerMinute, double? DelaySeconds, SmtpStage? Stage)
    {
        /// <summary>The behaviour described.</summary>
        public Behaviour ToBehaviour() => Kind switch
        {
            BehaviourKind.Accept => MxSim.Behaviour.Accept,
            BehaviourKind.ExplicitBlock => MxSim.Behaviour.ExplicitBlock,
            BehaviourKind.DisguisedBlock => MxSim.Behaviour.DisguisedBlock,
            BehaviourKind.RateLimit => MxSim.Behaviour.RateLimit(MessagesPerMinute ?? throw Missing("messagesPerMinute")),
            BehaviourKind.Greylist => MxSim.Behaviour.Greylist(TimeSpan.FromSeconds(DelaySeconds ?? throw Missing("delaySeconds"))),
            BehaviourKind.SlowReplies => MxSim.Behaviour.SlowReplies(TimeSpan.FromSeconds(DelaySeconds ?? throw Missing("delaySeconds"))),
            BehaviourKind.DropConnection => MxSim.Behaviour.DropConnection(Stage ?? throw Missing("stage")),
            _ => throw new InvalidDataException($"Unknown behaviour kind {Kind}."),
        };

        InvalidDataException Missing(string field) => new($"Behaviour {Kind} needs '{field}'.");
    }
}
