namespace Hikyaku.Bounces;

/// <summary>What the sender should do about a classified reply: the part the delivery pipeline acts on.</summary>
public enum ActionClass
{
    /// <summary>The address does not exist (any more): stop sending to the reader.</summary>
    AddressDead,

    /// <summary>A problem at the reader's side that may pass (full mailbox, timeout): retry later.</summary>
    AddressSoft,

    /// <summary>The sending lane (IP, domain, authentication) is refused, not the reader.</summary>
    SenderBlocked,

    /// <summary>The receiver asks us to slow down.</summary>
    RateLimited,

    /// <summary>This message (its content, size or form) was refused; the address may be fine.</summary>
    ContentRejected,

    /// <summary>A delivery report, auto-reply or complaint: no failure to act on as a bounce.</summary>
    NotABounce,
}

/// <summary>Names and the default mapping from reason to action.</summary>
public static class ActionClasses
{
    private static readonly string[] Names =
        ["address-dead", "address-soft", "sender-blocked", "rate-limited", "content-rejected", "not-a-bounce"];

    /// <summary>The wire name, e.g. <c>sender-blocked</c>.</summary>
    public static string Name(this ActionClass action) => Names[(int)action];

    /// <summary>Parses a wire name such as <c>rate-limited</c>.</summary>
    public static bool TryParse(string? name, out ActionClass action)
    {
        var i = Array.IndexOf(Names, name);
        action = i < 0 ? default : (ActionClass)i;
        return i >= 0;
    }

    /// <summary>
    /// The action a reason calls for. A temporary (class 4) failure never kills an address, even
    /// when its text says "unknown": greylisting and disguised blocks answer that way too.
    /// </summary>
    public static ActionClass For(BounceReason reason, int statusClass) => reason switch
    {
        BounceReason.Delivered or BounceReason.Vacation or BounceReason.Feedback => ActionClass.NotABounce,
        BounceReason.UserUnknown or BounceReason.HostUnknown or BounceReason.HasMoved or BounceReason.NotAccept
            => statusClass == 4 ? ActionClass.AddressSoft : ActionClass.AddressDead,
        BounceReason.Blocked or BounceReason.BadReputation or BounceReason.RequirePtr or BounceReason.AuthFailure
            or BounceReason.Rejected or BounceReason.NoRelaying or BounceReason.SecurityError => ActionClass.SenderBlocked,
        BounceReason.TooManyConn or BounceReason.Speeding => ActionClass.RateLimited,
        BounceReason.Filtered or BounceReason.PolicyViolation or BounceReason.SpamDetected or BounceReason.VirusDetected
            or BounceReason.ContentError or BounceReason.NotCompliantRfc or BounceReason.MesgTooBig
            or BounceReason.ExceedLimit => ActionClass.ContentRejected,
        _ => ActionClass.AddressSoft,
    };
}
