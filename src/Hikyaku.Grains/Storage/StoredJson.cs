using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Hikyaku.Contracts.Events;
using Hikyaku.Domain.Readers;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.Grains.Storage;

/// <summary>
/// The JSON options of stored events and snapshots: <see cref="EventSerializer.DefaultJsonOptions"/> (web defaults),
/// with compile-time serialisers for a reader's events and state, which every delivery writes; every other type
/// falls back to reflection. Both produce the same JSON: the generated code follows the same options.
/// </summary>
public static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ReaderJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReaderSubscribed))]
[JsonSerializable(typeof(ReaderUnsubscribed))]
[JsonSerializable(typeof(ReaderHeld))]
[JsonSerializable(typeof(ReaderErrorStopped))]
[JsonSerializable(typeof(ReaderRestored))]
[JsonSerializable(typeof(ReaderPaused))]
[JsonSerializable(typeof(ReaderResumed))]
[JsonSerializable(typeof(ReaderStepScheduled))]
[JsonSerializable(typeof(ReaderStoriesSetAside))]
[JsonSerializable(typeof(ReaderStoriesQueued))]
[JsonSerializable(typeof(ReaderStepShifted))]
[JsonSerializable(typeof(DeliveryAttempted))]
[JsonSerializable(typeof(ReaderBounceReceived))]
[JsonSerializable(typeof(ReaderState))]
internal sealed partial class ReaderJsonContext : JsonSerializerContext;
