using System.Text.Json.Nodes;

namespace Hikyaku.EventStore.Tests.Contract;

/// <summary>Event payloads and subscriber rows for the contract tests.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset At = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    public static EventData[] Some(int count, string type = "test.happened") =>
        Enumerable.Range(1, count)
            .Select(i => new EventData(Guid.NewGuid(), type, $$"""{"n":{{i}},"text":"event {{i}}"}""", At.AddSeconds(i)))
            .ToArray();

    public static string NewStream(string prefix = "subscriber") => $"{prefix}/{Guid.NewGuid():N}";

    public static SubscriberRow Row(string email, string status = "active", string magazine = "weekly", int version = 1) => new(
        "tenant-a", magazine, email, email[(email.IndexOf('@') + 1)..], status,
        status == "active" ? null : "userunknown", At, At.AddMinutes(version), status == "active" ? null : "550 5.1.1 no such user", version);

    /// <summary>JSON equality by meaning: PostgreSQL's jsonb does not keep key order or spacing.</summary>
    public static bool SameJson(string expected, string actual) =>
        JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual));
}
