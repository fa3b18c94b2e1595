using System.Text.Json.Nodes;

namespace Hikyaku.EventStore.Serialization;

/// <summary>
/// Stable event type names ("subscriber.subscribed") ↔ CLR types, plus upcasters from names of
/// older shapes. Stored events carry the stable name, never the CLR name, so classes can be renamed
/// or moved freely. Configure at start-up; afterwards it is only read (safe from many threads).
/// </summary>
public sealed class EventTypeRegistry
{
    // An upcaster chain longer than this is a cycle, not a history.
    private const int MaxUpcastSteps = 64;
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _names = [];
    private readonly Dictionary<string, Func<JsonNode, (string NewName, JsonNode Json)>> _upcasters = new(StringComparer.Ordinal);

    public EventTypeRegistry Register<TEvent>(string name) => Register(typeof(TEvent), name);

    public EventTypeRegistry Register(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_types.TryGetValue(name, out var existing))
        {
            throw new InvalidOperationException($"Event type name '{name}' is already registered for {existing.FullName}.");
        }

        if (_names.TryGetValue(type, out var existingName))
        {
            throw new InvalidOperationException($"{type.FullName} is already registered as '{existingName}'.");
        }

        if (_upcasters.ContainsKey(name))
        {
            throw new InvalidOperationException($"'{name}' has an upcaster, so it names an old shape and cannot name a current type.");
        }

        _types.Add(name, type);
        _names.Add(type, name);
        return this;
    }

    /// <summary>
    /// Teaches the registry to read events stored under <paramref name="oldName"/>: the upcaster turns
    /// the old JSON into the JSON of <c>NewName</c>, which is a registered name or has its own upcaster.
    /// </summary>
    public EventTypeRegistry AddUpcaster(string oldName, Func<JsonNode, (string NewName, JsonNode Json)> upcast)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oldName);
        ArgumentNullException.ThrowIfNull(upcast);
        if (_types.ContainsKey(oldName))
        {
            throw new InvalidOperationException($"'{oldName}' names a current type; an upcaster may only start from an old name.");
        }

        if (!_upcasters.TryAdd(oldName, upcast))
        {
            throw new InvalidOperationException($"'{oldName}' already has an upcaster.");
        }

        return this;
    }

    public string NameOf(Type type) =>
        _names.TryGetValue(type, out var name)
            ? name
            : throw new UnknownEventTypeException($"{type.FullName} has no stable event type name; register it with EventTypeRegistry.Register<T>(name).");

    public string NameOf<TEvent>() => NameOf(typeof(TEvent));

    /// <summary>Whether events stored under <paramref name="name"/> must pass through upcasters.</summary>
    public bool HasUpcaster(string name) => _upcasters.ContainsKey(name);

    public Type TypeOf(string name) =>
        _types.TryGetValue(name, out var type)
            ? type
            : throw new UnknownEventTypeException(HasUpcaster(name)
                ? $"Event type '{name}' is an old shape; read it through EventTypeRegistry.Upcast."
                : $"Unknown event type '{name}': no type is registered under that name and no upcaster reads it.");

    /// <summary>Applies upcasters until the name is a registered type; returns that type and the new JSON.</summary>
    public (Type Type, JsonNode Json) Upcast(string name, JsonNode json)
    {
        for (var step = 0; step < MaxUpcastSteps && _upcasters.TryGetValue(name, out var upcast); step++)
        {
            (name, json) = upcast(json);
        }

        return (TypeOf(name), json);
    }
}
