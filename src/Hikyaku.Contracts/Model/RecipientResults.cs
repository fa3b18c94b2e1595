namespace Hikyaku.Contracts.Model;

/// <summary>What became of one reader of one message, as the broadcast counts it.</summary>
public static class RecipientResults
{
    public const string Delivered = "delivered";

    /// <summary>Refused for now; it stays pending and is retried.</summary>
    public const string Deferred = "deferred";

    /// <summary>Paused because the provider blocks the sending IP; not the reader's fault. Not final: the reader is
    /// delivered from a clean IP or after the cooldown, and the message is finished only then.</summary>
    public const string Held = "held";

    /// <summary>The address failed permanently and the reader was error-stopped.</summary>
    public const string ErrorStopped = "error-stopped";

    /// <summary>Refused for good for this message (content, policy, a soft failure that expired), reader kept.</summary>
    public const string Bounced = "bounced";

    /// <summary>
    /// Hikyaku could not build or send this reader's message, for a reason retrying cannot cure (the message
    /// cannot be composed for this address): final for this message, the reader kept. The broadcast counts it
    /// under <c>bounced["failed"]</c>; the reason is in the reader's history and mail log.
    /// </summary>
    public const string Failed = "failed";

    /// <summary>
    /// Held by a block for longer than <c>Blocks:MaxHold</c> (default 3 days): final for this message, never an error stop.
    /// The broadcast counts it under <c>bounced["held-expired"]</c>.
    /// </summary>
    public const string HeldExpired = "held-expired";

    /// <summary>Not sent: the reader left or was stopped after the audience was fixed; leaves the total.</summary>
    public const string Skipped = "skipped";

    public static bool IsFinal(string result) => result is not (Deferred or Held);
}
