using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// A broadcast (一斉送信 / 号外): its content, audience and counters. It fixes its audience when sending starts,
/// hands pages of readers to the lanes, and resumes where it stopped after a crash. Key: <c>{tenantId}/{broadcastId}</c>.
/// </summary>
[Alias("hikyaku.IBroadcastGrain")]
public interface IBroadcastGrain : IMessageGrain
{
    [Alias("Create")]
    Task<Outcome<BroadcastView>> Create(string magazineId, string subject, string textBody, string? htmlBody, DateTimeOffset? sendAt);

    [Alias("Get")]
    Task<BroadcastView?> Get();

    /// <summary>The silo this broadcast is active on (diagnostics: the dashboard shows the same).</summary>
    [Alias("GetSilo")]
    Task<string> GetSilo();
}
