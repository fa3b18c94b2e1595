namespace Hikyaku.Contracts.Model;

/// <summary>
/// One story of a magazine's step sequence (ステップメール): sent <see cref="After"/> the reader subscribed.
/// </summary>
/// <param name="Id">The story's id (identifier rules), unique in the sequence; its message key is <c>s:{id}</c>.</param>
/// <param name="After">The delay from the reader's subscription, 0 to 3,650 days.</param>
/// <param name="TextBody">The text/plain body; a story has this or <paramref name="HtmlBody"/> or both.</param>
/// <param name="Backfill">Whether a reader already past <see cref="After"/> when the story was added gets it too.</param>
/// <param name="AddedAt">When the story (by its id) entered the sequence; kept while the id stays in it.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.story-step")]
public sealed record StoryStep(
    [property: Id(0)] string Id,
    [property: Id(1)] TimeSpan After,
    [property: Id(2)] string Subject,
    [property: Id(3)] string? TextBody,
    [property: Id(4)] string? HtmlBody,
    [property: Id(5)] bool Backfill,
    [property: Id(6)] DateTimeOffset AddedAt);

/// <summary>A story as the tenant sends it, before the sequence knows when it was added.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.story-draft")]
public sealed record StoryDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] TimeSpan After,
    [property: Id(2)] string Subject,
    [property: Id(3)] string? TextBody,
    [property: Id(4)] string? HtmlBody,
    [property: Id(5)] bool Backfill);

/// <summary>
/// What a reader released from a hold or an error stop gets of the stories it missed: the magazine's <c>catchUp</c>
/// setting, spelled as the API spells it.
/// </summary>
public static class CatchUpPolicies
{
    /// <summary>Every missed story, in sequence order (the default).</summary>
    public const string SendAllMissed = "send-all-missed";

    /// <summary>Only the latest missed story.</summary>
    public const string LatestOnly = "latest-only";

    /// <summary>The missed and remaining stories move later by the time lost, as if the reader had subscribed that much later.</summary>
    public const string ShiftSchedule = "shift-schedule";

    /// <summary>No missed story; the remaining sequence goes on as scheduled.</summary>
    public const string Skip = "skip";

    public static IReadOnlyList<string> All { get; } = [SendAllMissed, LatestOnly, ShiftSchedule, Skip];
}

/// <summary>A story that came due for a reader and was not delivered, and why (<see cref="MissedReasons"/>).</summary>
/// <param name="BlockId">For <c>held</c>: the block that held the reader, when the history names one.</param>
/// <param name="Reply">For <c>error-stopped</c> and <c>failed</c>: the reply (or late report) that did it.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.missed-story")]
public sealed record MissedStory(
    [property: Id(0)] string StoryId,
    [property: Id(1)] DateTimeOffset DueAt,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? BlockId = null,
    [property: Id(4)] string? Reply = null);

/// <summary>Why a due story was not delivered, spelled as the API spells it.</summary>
public static class MissedReasons
{
    /// <summary>The reader was held by a block (a provider refusing the sending IP).</summary>
    public const string Held = "held";

    /// <summary>The reader was error-stopped (エラー停止) by a reply or a late report.</summary>
    public const string ErrorStopped = "error-stopped";

    /// <summary>An operator had paused the reader (配信一時停止).</summary>
    public const string Paused = "paused";

    /// <summary>The story itself was refused for good (content, policy, a late bounce), the reader kept.</summary>
    public const string Failed = "failed";

    /// <summary>Nothing in the reader's history explains it: the story was not sent.</summary>
    public const string NotSent = "not-sent";
}

/// <param name="Steps">The sequence in sending order.</param>
/// <param name="RescheduleDue">When the sequence changed, if every reader still has to be rescheduled against it.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.step-plan-view")]
public sealed record StepPlanView(
    [property: Id(0)] IReadOnlyList<StoryStep> Steps,
    [property: Id(1)] DateTimeOffset? RescheduleDue,
    [property: Id(2)] string CatchUp = CatchUpPolicies.SendAllMissed);
