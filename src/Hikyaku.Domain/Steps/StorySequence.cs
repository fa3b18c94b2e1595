using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Magazines;

namespace Hikyaku.Domain.Steps;

/// <summary>Decisions on a magazine's step sequence and settings: pure functions of its state and the command.</summary>
public static class StorySequence
{
    /// <summary>The most stories a sequence holds.</summary>
    public const int MaxStories = 10_000;

    /// <summary>The longest delay a story may have from the subscription.</summary>
    public static readonly TimeSpan MaxAfter = TimeSpan.FromDays(3650);

    /// <summary>
    /// The sequence that replaces the current one. A story whose id is already in the sequence keeps its
    /// <see cref="StoryStep.AddedAt"/> (its content or delay may change): a reader is "past" a story only against
    /// when the story first appeared. A new id is added now. Null when the sequence would not change.
    /// </summary>
    public static MagazineStepsSet? Replace(MagazineState state, IReadOnlyList<StoryDraft> drafts, EventStamp stamp)
    {
        var added = state.Steps.ToDictionary(s => s.Id, s => s.AddedAt, StringComparer.Ordinal);
        var steps = drafts
            .Select(d => new StoryStep(d.Id, d.After, d.Subject, d.TextBody, d.HtmlBody, d.Backfill, added.TryGetValue(d.Id, out var at) ? at : stamp.At))
            .ToList();
        return steps.SequenceEqual(state.Steps) ? null : new MagazineStepsSet(stamp.Id, stamp.At, steps);
    }

    /// <summary>The sequence in sending order: by delay, then by the position the tenant gave.</summary>
    public static IReadOnlyList<StoryStep> Ordered(IReadOnlyList<StoryStep> steps) => steps.OrderBy(s => s.After).ToList();

    /// <summary>
    /// A partial update of the magazine's settings (a null argument keeps its value); null when nothing would change.
    /// The caller has validated the values.
    /// </summary>
    public static MagazineSettingsChanged? ChangeSettings(MagazineState state, string? name, string? fromAddress, string? fromName, string? catchUp, EventStamp stamp)
    {
        string? Changed(string? value, string? current) => value is not null && value != current ? value : null;
        var e = new MagazineSettingsChanged(stamp.Id, stamp.At, Changed(name, state.Name), Changed(fromAddress, state.FromAddress), Changed(fromName, state.FromName), Changed(catchUp, state.CatchUp));
        return e is { Name: null, FromAddress: null, FromName: null, CatchUp: null } ? null : e;
    }
}
