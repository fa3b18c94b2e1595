using Hikyaku.Contracts.Events;
using Hikyaku.Domain.Delivery;

namespace Hikyaku.Domain.Sites;

/// <summary>What a probe to a seed address says about the block.</summary>
public enum SeedProbeOutcome
{
    /// <summary>The provider took the message from the IP: it counts as a probe that went through.</summary>
    Passed,

    /// <summary>The provider still refuses the IP (a block reply, or "unknown user" for the tenant's own mailbox): the cooldown starts over.</summary>
    Refused,

    /// <summary>Nothing learnt about the block (a passing problem, no answer from the provider): the next probe tries again.</summary>
    Inconclusive,
}

/// <summary>What a probing lane sends with its next probe.</summary>
public enum ProbeWith
{
    /// <summary>The test message to the tenant's seed address.</summary>
    Seed,

    /// <summary>Queued readers' messages.</summary>
    Readers,

    /// <summary>Nothing yet.</summary>
    Nothing,
}

/// <summary>
/// The rules of probing with a seed address. A seed is the tenant's own mailbox, so it exists and wants the message: the
/// provider refusing it means the block is still there, and no reader has to be risked to learn that. Readers are only
/// probed once a seed probe went through; with no reader waiting, the seed carries every probe.
/// </summary>
public static class SeedProbes
{
    public const string PassedOutcome = "passed";
    public const string RefusedOutcome = "refused";
    public const string InconclusiveOutcome = "inconclusive";

    public static SeedProbeOutcome Judge(ReplyRecord reply)
    {
        var classified = ReplyRecords.Classified(reply);
        if (classified.Action == ReplyAction.Accepted)
        {
            return SeedProbeOutcome.Passed;
        }

        // Only the provider's own word counts (as for every lane); a connection Hikyaku could not make says nothing.
        if (classified.FromProvider && (classified.Action == ReplyAction.SenderBlocked || ReplyRecords.IsUnknownUser(classified)))
        {
            return SeedProbeOutcome.Refused;
        }

        return SeedProbeOutcome.Inconclusive;
    }

    /// <summary>The outcome as the block records it.</summary>
    public static string Name(SeedProbeOutcome outcome) => outcome switch
    {
        SeedProbeOutcome.Passed => PassedOutcome,
        SeedProbeOutcome.Refused => RefusedOutcome,
        _ => InconclusiveOutcome,
    };

    /// <param name="hasSeed">The tenant has a usable seed address at the provider.</param>
    /// <param name="seedPassed">A probe to it went through since probing began.</param>
    /// <param name="readersReady">Readers wait in the lane's queue, due now.</param>
    public static ProbeWith Next(bool hasSeed, bool seedPassed, bool readersReady) =>
        !hasSeed ? (readersReady ? ProbeWith.Readers : ProbeWith.Nothing)
        : !seedPassed ? ProbeWith.Seed
        : readersReady ? ProbeWith.Readers
        : ProbeWith.Seed;
}
