namespace Hikyaku.Contracts.Model;

/// <summary>A reader's status, spelled as the API spells it.</summary>
public static class SubscriberStatus
{
    public const string Active = "active";

    /// <summary>Delivery paused because the provider is blocking the sending IP: not the reader's fault.</summary>
    public const string Held = "held";

    /// <summary>エラー停止: the address itself failed permanently.</summary>
    public const string ErrorStopped = "error-stopped";

    public const string Unsubscribed = "unsubscribed";

    /// <summary>配信一時停止: an operator paused the reader (nothing is sent, step stories coming due are missed) until resumed.</summary>
    public const string Paused = "paused";

    public static IReadOnlyList<string> All { get; } = [Active, Held, ErrorStopped, Unsubscribed, Paused];
}
