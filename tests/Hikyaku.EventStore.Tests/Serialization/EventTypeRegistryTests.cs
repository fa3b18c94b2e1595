using System.Text.Json.Nodes;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.EventStore.Tests.Serialization;

public sealed class EventTypeRegistryTests
{
    private sealed record Subscribed(string Email);

    private sealed record Unsubscribed(string Email);

    [Fact]
    public void Stable_name_and_type_map_both_ways()
    {
        var registry = new EventTypeRegistry().Register<Subscribed>("subscriber.subscribed");

        Assert.Equal("subscriber.subscribed", registry.NameOf<Subscribed>());
        Assert.Equal(typeof(Subscribed), registry.TypeOf("subscriber.subscribed"));
    }

    [Fact]
    public void Unknown_name_and_unregistered_type_throw_saying_what_to_register()
    {
        var registry = new EventTypeRegistry().Register<Subscribed>("subscriber.subscribed");

        var unknownName = Assert.Throws<UnknownEventTypeException>(() => registry.TypeOf("subscriber.vanished"));
        var unknownType = Assert.Throws<UnknownEventTypeException>(() => registry.NameOf<Unsubscribed>());

        Assert.Contains("'subscriber.vanished'", unknownName.Message);
        Assert.Contains(nameof(Unsubscribed), unknownType.Message);
    }

    [Fact]
    public void A_name_or_a_type_can_be_registered_only_once()
    {
        var registry = new EventTypeRegistry().Register<Subscribed>("subscriber.subscribed");

        Assert.Throws<InvalidOperationException>(() => registry.Register<Unsubscribed>("subscriber.subscribed"));
        Assert.Throws<InvalidOperationException>(() => registry.Register<Subscribed>("subscriber.joined"));
    }

    [Fact]
    public void Upcaster_may_not_start_from_a_current_name()
    {
        var registry = new EventTypeRegistry().Register<Subscribed>("subscriber.subscribed");

        Assert.Throws<InvalidOperationException>(() => registry.AddUpcaster("subscriber.subscribed", json => ("subscriber.subscribed", json)));
    }

    [Fact]
    public void Upcasters_chain_through_several_old_shapes()
    {
        var registry = new EventTypeRegistry()
            .Register<Subscribed>("subscriber.subscribed.v3")
            .AddUpcaster("subscriber.subscribed.v1", json => ("subscriber.subscribed.v2", new JsonObject { ["mail"] = json["address"]!.GetValue<string>() }))
            .AddUpcaster("subscriber.subscribed.v2", json => ("subscriber.subscribed.v3", new JsonObject { ["email"] = json["mail"]!.GetValue<string>() }));

        var (type, json) = registry.Upcast("subscriber.subscribed.v1", new JsonObject { ["address"] = "a@example.jp" });

        Assert.Equal(typeof(Subscribed), type);
        Assert.Equal("a@example.jp", json["email"]!.GetValue<string>());
    }
}
