namespace Hikyaku.EventStore.Serialization;

/// <summary>
/// A stored event names a type the registry does not know (and no upcaster maps it to one), or an
/// event object's CLR type was never registered. Either way the fix is a registration, not a retry.
/// </summary>
public sealed class UnknownEventTypeException : Exception
{
    public UnknownEventTypeException(string message)
        : base(message)
    {
    }
}
