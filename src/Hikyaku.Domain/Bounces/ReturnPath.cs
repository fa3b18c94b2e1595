namespace Hikyaku.Domain.Bounces;

/// <summary>What a VERP return path stands for: the reader a message went to, and the message.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="MagazineId">The magazine the reader belongs to.</param>
/// <param name="Email">The reader's normalised address.</param>
/// <param name="MessageKey">The message: <c>b:{broadcastId}</c> or <c>s:{storyId}</c>.</param>
public sealed record ReturnPath(string TenantId, string MagazineId, string Email, string MessageKey);
