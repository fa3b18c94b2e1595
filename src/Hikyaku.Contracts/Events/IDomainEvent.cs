namespace Hikyaku.Contracts.Events;

/// <summary>
/// A fact recorded on a stream. <see cref="EventId"/> is unique per event and makes a retried append
/// recognisable; <see cref="At"/> comes from the <see cref="TimeProvider"/> of the grain that raised it.
/// </summary>
public interface IDomainEvent
{
    Guid EventId { get; }

    DateTimeOffset At { get; }
}
