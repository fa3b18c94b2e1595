using System.Text.Json;
using Hikyaku.Contracts.Events;
using Hikyaku.Domain.Readers;
using Hikyaku.EventStore.Serialization;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Tests;

/// <summary>
/// Stored JSON must not depend on whether an event was written by the compile-time serialiser or by reflection:
/// both are read back by either, across versions of the silo.
/// </summary>
public sealed class StoredJsonTests
{
    private static readonly ReplyRecord Reply = new(550, "5.1.1", "<r@example.jp>: Recipient address rejected: \"unknown\" ユーザー", ReplyStage.Rcpt, true);

    public static TheoryData<string> ReaderEventNames()
    {
        var names = new TheoryData<string>();
        foreach (var (name, type) in EventTypes.All.Where(e => typeof(ReaderEvent).IsAssignableFrom(e.Type)))
        {
            names.Add(name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(ReaderEventNames))]
    public void A_reader_event_is_written_byte_for_byte_as_reflection_writes_it_and_reads_back_the_same(string name)
    {
        var type = EventTypes.All.Single(e => e.Name == name).Type;
        foreach (var nulls in new[] { false, true })
        {
            var e = Sample(type, nulls);

            var generated = JsonSerializer.Serialize(e, type, StoredJson.Options);
            var reflected = JsonSerializer.Serialize(e, type, EventSerializer.DefaultJsonOptions);

            Assert.Equal(reflected, generated);
            Assert.Equal(generated, JsonSerializer.Serialize(JsonSerializer.Deserialize(reflected, type, StoredJson.Options), type, StoredJson.Options));
        }
    }

    [Fact]
    public void A_reply_keeps_its_stored_form_and_one_written_before_replies_were_classified_reads_back_classified()
    {
        var classified = Hikyaku.Domain.Delivery.ReplyRecords.Classified(Reply);
        var json = JsonSerializer.Serialize(classified, StoredJson.Options);
        Assert.Contains("\"stage\":\"rcpt\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"userunknown\",\"action\":\"address-dead\"", json, StringComparison.Ordinal);

        // As every delivery event before this version stored it: the stage as text, no reason, no action.
        const string old = """{"code":550,"enhanced":"5.7.1","text":"Unfortunately, messages from [127.0.0.2] were not sent. Please contact your Internet service provider since part of their network is on our block list (S3150).","stage":"rcpt","fromProvider":true}""";
        var read = JsonSerializer.Deserialize<ReplyRecord>(old, StoredJson.Options)!;
        Assert.Equal((ReplyStage.Rcpt, (string?)null, (ReplyAction?)null), (read.Stage, read.Reason, read.Action));
        Assert.Equal(old, JsonSerializer.Serialize(read, StoredJson.Options));
        var now = Hikyaku.Domain.Delivery.ReplyRecords.Classified(read);
        Assert.Equal(ReplyAction.SenderBlocked, now.Action);
        Assert.Equal(ReplyStage.Compose, JsonSerializer.Deserialize<ReplyRecord>("""{"code":0,"text":"x","stage":"compose","fromProvider":false}""", StoredJson.Options)!.Stage);
    }

    [Fact]
    public void A_readers_state_snapshot_is_written_as_reflection_writes_it_and_reads_back_the_same()
    {
        var state = new ReaderState();
        var at = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(9));
        state.Apply(new ReaderSubscribed(Guid.CreateVersion7(), at, "r@example.jp", "読者", new Dictionary<string, string> { ["plan"] = "gold", ["note"] = "a \"quoted\" value" }, "api"));
        state.Apply(new DeliveryAttempted(Guid.CreateVersion7(), at, "b1", "broadcast", "b1", null, "<m1@example.jp>", "127.0.0.2", "mx.example.jp", Reply, "userunknown", "bounced", "RCPT TO:<r@example.jp>\r\n550 5.1.1"));
        state.Apply(new ReaderErrorStopped(Guid.CreateVersion7(), at, "userunknown", "550 5.1.1 unknown"));

        var generated = JsonSerializer.Serialize(state, StoredJson.Options);

        Assert.Equal(JsonSerializer.Serialize(state, EventSerializer.DefaultJsonOptions), generated);
        var back = JsonSerializer.Deserialize<ReaderState>(generated, StoredJson.Options)!;
        Assert.Equal(generated, JsonSerializer.Serialize(back, StoredJson.Options));
        Assert.Equal("bounced", back.FinalResults["b1"]);
    }

    // An instance with every constructor parameter set (or every nullable one null), whatever the event's shape.
    private static object Sample(Type type, bool nulls)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new System.Reflection.NullabilityInfoContext();
        var args = ctor.GetParameters().Select(p =>
        {
            if (nulls && nullability.Create(p).WriteState == System.Reflection.NullabilityState.Nullable)
            {
                return null;
            }

            var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            return t switch
            {
                _ when t == typeof(string) => $"{p.Name} <x@example.jp> \"q\" ü 配信\r\n",
                _ when t == typeof(Guid) => (object)Guid.CreateVersion7(),
                _ when t == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 28, 6, 30, 15, 123, TimeSpan.FromHours(9)),
                _ when t == typeof(int) => 550,
                _ when t == typeof(bool) => true,
                _ when t == typeof(ReplyRecord) => Reply,
                _ when t == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["plan"] = "gold", ["名前"] = "値" },
                _ when t == typeof(IReadOnlyList<string>) => new List<string> { "welcome", "三日目" },
                _ when t == typeof(TimeSpan) => TimeSpan.FromSeconds(35.5),
                _ => throw new InvalidOperationException($"no sample for {t} ({type.Name}.{p.Name}): add one"),
            };
        }).ToArray();
        return ctor.Invoke(args);
    }
}
