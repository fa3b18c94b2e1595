using System.Diagnostics.CodeAnalysis;

namespace Hikyaku.Contracts.Model;

/// <summary>What kind of message a <see cref="MessageKey"/> names.</summary>
public enum MessageKind
{
    /// <summary>A broadcast issue (一斉送信 / 号外).</summary>
    Broadcast,

    /// <summary>A step-mail story (ステップメール).</summary>
    Story,
}

/// <summary>
/// One message a reader can receive: a broadcast or a step story. Stored as <c>b:{id}</c> or <c>s:{id}</c> (in a
/// reader's events, return paths and complaint counts); that text form never changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("hikyaku.message-key")]
public readonly record struct MessageKey([property: Id(0)] MessageKind Kind, [property: Id(1)] string Id)
{
    public static MessageKey Broadcast(string broadcastId) => new(MessageKind.Broadcast, broadcastId);

    public static MessageKey Story(string storyId) => new(MessageKind.Story, storyId);

    /// <summary>The broadcast's id, or null for a story.</summary>
    public string? BroadcastId => Kind == MessageKind.Broadcast ? Id : null;

    /// <summary>The story's id, or null for a broadcast.</summary>
    public string? StoryId => Kind == MessageKind.Story ? Id : null;

    /// <summary><c>broadcast</c> or <c>step</c>, as the mail log shows it (<c>messageKind</c>).</summary>
    public string KindName => Kind == MessageKind.Broadcast ? "broadcast" : "step";

    public override string ToString() => (Kind == MessageKind.Broadcast ? "b:" : "s:") + Id;

    public static bool TryParse([NotNullWhen(true)] string? text, out MessageKey key)
    {
        key = default;
        if (text is null || text.Length < 3 || text[1] != ':')
        {
            return false;
        }

        switch (text[0])
        {
            case 'b': key = Broadcast(text[2..]); return true;
            case 's': key = Story(text[2..]); return true;
            default: return false;
        }
    }

    /// <exception cref="FormatException">The text is not <c>b:{id}</c> or <c>s:{id}</c>.</exception>
    public static MessageKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a message key (b:{{id}} or s:{{id}})");
}
