namespace Hikyaku.Domain;

/// <summary>The identity and time given to a new event; decisions take it so they stay pure.</summary>
public readonly record struct EventStamp(Guid Id, DateTimeOffset At)
{
    public static EventStamp Now(TimeProvider time)
    {
        var at = time.GetUtcNow();
        return new(EventIds.NewVersion7(at), at);
    }
}
