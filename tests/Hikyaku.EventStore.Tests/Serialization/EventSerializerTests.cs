using System.Text.Json.Nodes;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.EventStore.Tests.Serialization;

public sealed class EventSerializerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);

    // Today's shape: a reader subscribed with a source; older events lack it, and v1 called the address "mail".
    private sealed record ReaderSubscribed(string Email, string Domain, string Source = "unknown");

    private static EventSerializer Serializer() => new(new EventTypeRegistry()
        .Register<ReaderSubscribed>("reader.subscribed.v2")
        .AddUpcaster("reader.subscribed.v1", old =>
        {
            var mail = old["mail"]!.GetValue<string>();
            return ("reader.subscribed.v2", new JsonObject { ["email"] = mail, ["domain"] = mail[(mail.IndexOf('@') + 1)..] });
        }));

    [Fact]
    public void Event_is_stored_under_its_stable_name_as_camel_case_json()
    {
        var data = Serializer().ToEventData(new ReaderSubscribed("a@example.jp", "example.jp", "form"), At);

        Assert.Equal("reader.subscribed.v2", data.Type);
        Assert.Equal("""{"email":"a@example.jp","domain":"example.jp","source":"form"}""", data.Json);
        Assert.Equal(At, data.At);
        Assert.NotEqual(Guid.Empty, data.EventId);
    }

    [Fact]
    public void Event_round_trips_through_a_stored_event()
    {
        var serializer = Serializer();
        var original = new ReaderSubscribed("a@example.jp", "example.jp", "import");
        var data = serializer.ToEventData(original, At);

        var read = serializer.FromStored(new StoredEvent("reader/1", 1, data.EventId, data.Type, data.Json, data.At));

        Assert.Equal(original, read);
    }

    [Fact]
    public void Stored_event_of_an_old_shape_loads_as_the_new_type()
    {
        var read = Serializer().Deserialize("reader.subscribed.v1", """{"mail":"old@docomo.ne.jp"}""");

        Assert.Equal(new ReaderSubscribed("old@docomo.ne.jp", "docomo.ne.jp"), read);
    }

    [Fact]
    public void Json_written_before_a_field_existed_loads_with_the_field_default()
    {
        var read = Serializer().Deserialize("reader.subscribed.v2", """{"email":"a@example.jp","domain":"example.jp"}""");

        Assert.Equal("unknown", Assert.IsType<ReaderSubscribed>(read).Source);
    }

    [Fact]
    public void Stored_event_with_an_unknown_type_name_fails_clearly()
    {
        var ex = Assert.Throws<UnknownEventTypeException>(() => Serializer().Deserialize("reader.teleported", "{}"));

        Assert.Contains("reader.teleported", ex.Message);
    }

    [Fact]
    public void Snapshot_round_trips_a_state_under_its_stable_name()
    {
        var serializer = Serializer();
        var state = new ReaderSubscribed("s@example.jp", "example.jp");

        var snapshot = serializer.ToSnapshot("reader/1", 12, "reader.state", state);

        Assert.Equal(("reader/1", 12, "reader.state"), (snapshot.StreamId, snapshot.Version, snapshot.Type));
        Assert.Equal(state, serializer.FromSnapshot<ReaderSubscribed>(snapshot));
    }
}
