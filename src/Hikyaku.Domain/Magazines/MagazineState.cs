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
            default:
                throw new InvalidOperationException($"MagazineState cannot apply {@event.GetType().Name}");
        }
    }

    public MagazineView ToView(string id) => new(id, Name ?? string.Empty, FromAddress ?? string.Empty, FromName, CreatedAt);
}
