namespace Hikyaku.Contracts.Model;

/// <summary>
/// A tenant's sending settings. <see cref="BatchSize"/> / <see cref="BatchInterval"/> are the operator's
/// "send at most N at once, then wait" (一斉送信数 / 待機時間); adaptive per-provider throttling works inside it.
/// </summary>
[GenerateSerializer, Alias("hikyaku.sending-settings")]
public sealed record SendingSettings(
    [property: Id(0)] int BatchSize,
    [property: Id(1)] TimeSpan BatchInterval,
    [property: Id(2)] bool AutoResendMissed,
    [property: Id(3)] TimeSpan Cooldown,
    [property: Id(4)] RelaySettings? Relay,
    [property: Id(5)] int SoftStopAfter = 0)
{
    /// <summary>Messages in a row refused for a disabled, suspended or full mailbox before the reader is error-stopped.</summary>
    public const int DefaultSoftStopAfter = 3;

    public static SendingSettings Default { get; } = new(1000, TimeSpan.Zero, true, TimeSpan.FromHours(24), null, DefaultSoftStopAfter);

    /// <summary><see cref="SoftStopAfter"/>, or the default for settings stored before it existed (0).</summary>
    public int SoftStopAfterOrDefault => SoftStopAfter > 0 ? SoftStopAfter : DefaultSoftStopAfter;
}

/// <param name="PasswordProtected">The relay password, encrypted at rest; never returned by the API.</param>
[GenerateSerializer, Alias("hikyaku.relay-settings")]
public sealed record RelaySettings(
    [property: Id(0)] string Host,
    [property: Id(1)] int Port,
    [property: Id(2)] string? Username,
    [property: Id(3)] string? PasswordProtected,
    [property: Id(4)] bool UseTls,
    [property: Id(5)] int MaxPerMinute,
    [property: Id(6)] int MaxPerDay);
