using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Magazines;

[GenerateSerializer]
public sealed class MagazineState : IEventSourcedState<MagazineEvent>
{
    [Id(0)] public string? Name { get; set; }

    [Id(1)] public string? FromAddress { get; set; }

    [Id(2)] public string? FromName { get; set; }

    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>One of <see cref="CatchUpPolicies"/>; <c>send-all-missed</c> until the tenant chooses.</summary>
    [Id(4)] public string CatchUp { get; set; } = CatchUpPolicies.SendAllMissed;

    /// <summary>The step sequence in the order the tenant gave it (see <see cref="Steps.StorySequence.Ordered"/>).</summary>
    [Id(5)] public IReadOnlyList<StoryStep> Steps { get; set; } = [];

    /// <summary>When the sequence last changed; null while it never had one.</summary>
    [Id(6)] public DateTimeOffset? StepsSetAt { get; set; }

    /// <summary>The sequence change (by <see cref="StepsSetAt"/>) every reader has been rescheduled against.</summary>
    [Id(7)] public DateTimeOffset? RescheduledThrough { get; set; }

    /// <summary>A sequence change not yet applied to every reader's next story.</summary>
    public bool RescheduleDue => StepsSetAt is { } set && (RescheduledThrough is not { } through || through < set);

    public bool Exists => Name is not null;

    public void Apply(MagazineEvent @event)
    {
        switch (@event)
        {
            case MagazineCreated e:
                Name = e.Name;
                FromAddress = e.FromAddress;
                FromName = e.FromName;
                CreatedAt = e.At;
                break;
            case MagazineStepsSet e:
                Steps = e.Steps;
                StepsSetAt = e.At;
                break;
            case MagazineStepsRescheduled e:
                RescheduledThrough = e.Through;
                break;
            case MagazineSettingsChanged e:
                Name = e.Name ?? Name;
                FromAddress = e.FromAddress ?? FromAddress;
                FromName = e.FromName ?? FromName;
                CatchUp = e.CatchUp ?? CatchUp;
                break;
            default:
                throw new InvalidOperationException($"MagazineState cannot apply {@event.GetType().Name}");
        }
    }

    public MagazineView ToView(string id) => new(id, Name ?? string.Empty, FromAddress ?? string.Empty, FromName, CreatedAt, CatchUp);
}
