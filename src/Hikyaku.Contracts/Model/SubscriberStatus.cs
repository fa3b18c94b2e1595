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

    public static IReadOnlyList<string> All { get; } = [Active, Held, ErrorStopped, Unsubscribed];
}
