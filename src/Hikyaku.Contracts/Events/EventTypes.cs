namespace Hikyaku.Contracts.Events;

/// <summary>
/// The one registry of stored event type names. A name is data: once written it never changes, whatever
/// the CLR type is called; when an event changes shape, its old name gets an upcaster next to it.
/// </summary>
public static class EventTypes
{
    public static IReadOnlyList<(string Name, Type Type)> All { get; } =
    [
        ("tenant.created", typeof(TenantCreated)),
        ("tenant.ip-pool-set", typeof(TenantIpPoolSet)),
        ("magazine.created", typeof(MagazineCreated)),
        ("sending-ip.assigned", typeof(SendingIpAssigned)),
        ("sending-ip.released", typeof(SendingIpReleased)),
        ("reader.subscribed", typeof(ReaderSubscribed)),
        ("reader.unsubscribed", typeof(ReaderUnsubscribed)),
        ("reader.held", typeof(ReaderHeld)),
        ("reader.error-stopped", typeof(ReaderErrorStopped)),
        ("reader.restored", typeof(ReaderRestored)),
        ("import.chunk-stored", typeof(ImportChunkStored)),
        ("import.accepted", typeof(ImportAccepted)),
        ("import.chunk-processed", typeof(ImportChunkProcessed)),
        ("import.finished", typeof(ImportFinished)),
    ];
}
