namespace Hikyaku.Bounces;

/// <summary>
/// Why a message was not delivered. The names (see <see cref="BounceReasons.Name"/>) are the
/// taxonomy shared with the reference corpus (Sisimai's reason names), so they stay stable.
/// </summary>
public enum BounceReason
{
    Undefined,
    UserUnknown,
    HostUnknown,
    MailboxFull,
    Blocked,
    BadReputation,
    RequirePtr,
    AuthFailure,
    Rejected,
    Filtered,
    PolicyViolation,
    SpamDetected,
    VirusDetected,
    ContentError,
    NotCompliantRfc,
    TooManyConn,
    Speeding,
    Expired,
    NetworkError,
    SystemError,
    SystemFull,
    Suspend,
    HasMoved,
    NoRelaying,
    NotAccept,
    SecurityError,
    SyntaxError,
    MesgTooBig,
    ExceedLimit,
    MailerError,
    OnHold,
    Vacation,
    Feedback,
    Delivered,
}

/// <summary>The taxonomy names of <see cref="BounceReason"/> and the hard/soft rule.</summary>
public static class BounceReasons
{
    private static readonly string[] Names = Enum.GetNames<BounceReason>().Select(n => n.ToLowerInvariant()).ToArray();

    private static readonly Dictionary<string, BounceReason> ByName =
        Enum.GetValues<BounceReason>().ToDictionary(r => Names[(int)r], StringComparer.OrdinalIgnoreCase);

    /// <summary>The exact taxonomy name, e.g. <c>userunknown</c>.</summary>
    public static string Name(this BounceReason reason) => Names[(int)reason];

    /// <summary>Parses a taxonomy name (case-insensitive).</summary>
    public static bool TryParse(string? name, out BounceReason reason) =>
        ByName.TryGetValue(name ?? string.Empty, out reason);

    /// <summary>
    /// Hard means "the address itself is gone". Following the reference corpus (Sisimai), only
    /// userunknown, hostunknown, hasmoved and a notaccept that is not temporary (class 4) are hard;
    /// a full mailbox or a block says nothing final about the address. A bounce that states no
    /// class at all is a final failure, so it counts as permanent.
    /// </summary>
    public static bool IsHard(BounceReason reason, int statusClass) => reason switch
    {
        BounceReason.UserUnknown or BounceReason.HostUnknown or BounceReason.HasMoved => true,
        BounceReason.NotAccept => statusClass != 4,
        _ => false,
    };
}
