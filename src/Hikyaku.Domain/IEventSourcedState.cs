namespace Hikyaku.Domain;

/// <summary>A state that is the fold of its stream's events.</summary>
public interface IEventSourcedState<in TEvent>
{
    void Apply(TEvent @event);
}
