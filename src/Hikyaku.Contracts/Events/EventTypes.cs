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
        ("reader.hold-expired", typeof(ReaderHoldExpired)),
        ("reader.error-stopped", typeof(ReaderErrorStopped)),
        ("reader.restored", typeof(ReaderRestored)),
        ("reader.delivery-attempted", typeof(DeliveryAttempted)),
        ("broadcast.created", typeof(BroadcastCreated)),
        ("broadcast.audience-paged", typeof(BroadcastAudiencePaged)),
        ("broadcast.started", typeof(BroadcastStarted)),
        ("broadcast.results-recorded", typeof(BroadcastResultsRecorded)),
        ("broadcast.finished", typeof(BroadcastFinished)),
        ("tenant.broadcast-registered", typeof(TenantBroadcastRegistered)),
        ("tenant.sending-settings-changed", typeof(TenantSendingSettingsChanged)),
        ("tenant.dkim-key-set", typeof(TenantDkimKeySet)),
        ("tenant.dkim-key-removed", typeof(TenantDkimKeyRemoved)),
        ("import.chunk-stored", typeof(ImportChunkStored)),
        ("import.accepted", typeof(ImportAccepted)),
        ("import.chunk-processed", typeof(ImportChunkProcessed)),
        ("import.finished", typeof(ImportFinished)),
        ("import.rejections-stored", typeof(ImportRejectionsStored)),
        ("reader.bounce-received", typeof(ReaderBounceReceived)),
        ("tenant.complaint-recorded", typeof(TenantComplaintRecorded)),
        ("projection.rebuild-started", typeof(ProjectionRebuildStarted)),
        ("projection.rebuild-paged", typeof(ProjectionRebuildPaged)),
        ("projection.rebuild-finished", typeof(ProjectionRebuildFinished)),
        ("directory.entry-added", typeof(DirectoryEntryAdded)),
        ("sending-ip.sent-counted", typeof(SendingIpSentCounted)),
        ("sending-ip.dnsbl-changed", typeof(SendingIpDnsblChanged)),
        ("sending-ip.warmup-started", typeof(SendingIpWarmupStarted)),
        ("sending-ip.warmup-ended", typeof(SendingIpWarmupEnded)),
        ("site.lane-blocked", typeof(LaneBlocked)),
        ("site.block-readers-touched", typeof(BlockReadersTouched)),
        ("site.lane-probing", typeof(LaneProbing)),
        ("site.lane-probe-failed", typeof(LaneProbeFailed)),
        ("site.lane-reopened", typeof(LaneReopened)),
        ("site.block-extended", typeof(BlockExtended)),
        ("site.block-readers-restored", typeof(BlockReadersRestored)),
        ("tenant.seed-addresses-set", typeof(TenantSeedAddressesSet)),
        ("site.lane-seed-probed", typeof(LaneSeedProbed)),
        ("magazine.steps-set", typeof(MagazineStepsSet)),
        ("magazine.settings-changed", typeof(MagazineSettingsChanged)),
        ("reader.step-scheduled", typeof(ReaderStepScheduled)),
        ("magazine.steps-rescheduled", typeof(MagazineStepsRescheduled)),
    ];
}
