namespace Hikyaku.MxSim;

/// <summary>The kinds of behaviour a simulated provider can show toward a source IP.</summary>
public enum BehaviourKind
{
    /// <summary>Deliver to existing mailboxes; unknown mailboxes get the user-unknown reply.</summary>
    Accept,

    /// <summary>Refuse with the provider's named block reply at its realistic stage.</summary>
    ExplicitBlock,

    /// <summary>
    /// Every recipient, existing or not, gets the provider's user-unknown reply: at RCPT, or after DATA where the provider's
    /// disguised block comes there (the Japanese carriers' filter).
    /// </summary>
    DisguisedBlock,

    /// <summary>After N accepted messages in the current minute, MAIL gets the provider's 421.</summary>
    RateLimit,

    /// <summary>The first attempt of each (source IP, sender, recipient) triplet gets 451 until the delay has passed.</summary>
    Greylist,

    /// <summary>Accept, but wait before every MAIL, RCPT and DATA reply.</summary>
    SlowReplies,

    /// <summary>Close the TCP connection without a reply at a chosen stage.</summary>
    DropConnection,
}

/// <summary>
/// How a simulated provider treats one source IP (or every IP without an override). Immutable:
/// switch behaviour by setting another value on the provider.
/// </summary>
public sealed record Behaviour
{
    Behaviour(BehaviourKind kind) => Kind = kind;

    /// <summary>Which behaviour this is.</summary>
    public BehaviourKind Kind { get; }

    /// <summary>For <see cref="BehaviourKind.RateLimit"/>: messages accepted per source IP in any <see cref="Window"/>.</summary>
    public int MessagesPerMinute { get; private init; }

    /// <summary>For <see cref="BehaviourKind.RateLimit"/>: the sliding window the limit counts in (a minute unless said).</summary>
    public TimeSpan Window { get; private init; } = TimeSpan.FromMinutes(1);

    /// <summary>The greylist retry delay, or the reply delay of <see cref="BehaviourKind.SlowReplies"/>.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>For <see cref="BehaviourKind.DropConnection"/>: where the connection is closed.</summary>
    public SmtpStage Stage { get; private init; }

    /// <summary>Normal delivery.</summary>
    public static Behaviour Accept { get; } = new(BehaviourKind.Accept);

    /// <summary>The provider's named block (Microsoft S3150, Gmail 5.7.1, Yahoo TSS04, Apple through Proofpoint).</summary>
    public static Behaviour ExplicitBlock { get; } = new(BehaviourKind.ExplicitBlock);

    /// <summary>The block every bulk sender fears: user-unknown for every recipient.</summary>
    public static Behaviour DisguisedBlock { get; } = new(BehaviourKind.DisguisedBlock);

    /// <summary>421 at MAIL once <paramref name="messagesPerMinute"/> messages from the source IP were accepted in the last sixty seconds.</summary>
    public static Behaviour RateLimit(int messagesPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messagesPerMinute);
        return new(BehaviourKind.RateLimit) { MessagesPerMinute = messagesPerMinute };
    }

    /// <summary>
    /// 421 at MAIL once <paramref name="messages"/> from the source IP were accepted in the last <paramref name="per"/> (one
    /// second to one minute): the same limit on a shorter clock, so a test sees a lane converge in seconds.
    /// </summary>
    public static Behaviour RateLimit(int messages, TimeSpan per)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(per, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(per, TimeSpan.FromMinutes(1));
        return new(BehaviourKind.RateLimit) { MessagesPerMinute = messages, Window = per };
    }

    /// <summary>451 for a new triplet; a retry at least <paramref name="retryAfter"/> later is accepted.</summary>
    public static Behaviour Greylist(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return new(BehaviourKind.Greylist) { Delay = retryAfter };
    }

    /// <summary>Each MAIL, RCPT and DATA reply comes <paramref name="delay"/> late (wall-clock time).</summary>
    public static Behaviour SlowReplies(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(BehaviourKind.SlowReplies) { Delay = delay };
    }

    /// <summary>The connection is closed without a reply at <paramref name="stage"/>.</summary>
    public static Behaviour DropConnection(SmtpStage stage) => new(BehaviourKind.DropConnection) { Stage = stage };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        BehaviourKind.RateLimit => Window == TimeSpan.FromMinutes(1) ? $"RateLimit({MessagesPerMinute}/min)" : $"RateLimit({MessagesPerMinute}/{Window.TotalSeconds:0}s)",
        BehaviourKind.Greylist => $"Greylist({Delay})",
        BehaviourKind.SlowReplies => $"SlowReplies({Delay})",
        BehaviourKind.DropConnection => $"DropConnection({Stage})",
        _ => Kind.ToString(),
    };
}
