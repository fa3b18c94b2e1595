using Hikyaku.Contracts.Events;

namespace Hikyaku.Domain.Directories;

/// <summary>A directory's ids, kept in ordinal order so a page is a binary search and a slice.</summary>
[GenerateSerializer]
public sealed class DirectoryState : IEventSourcedState<DirectoryEvent>
{
    [Id(0)] public List<string> Ids { get; set; } = [];

    public bool Contains(string id) => Ids.BinarySearch(id, StringComparer.Ordinal) >= 0;

    public void Apply(DirectoryEvent @event)
    {
        switch (@event)
        {
            case DirectoryEntryAdded e:
                var at = Ids.BinarySearch(e.Id, StringComparer.Ordinal);
                if (at < 0)
                {
                    Ids.Insert(~at, e.Id);
                }

                break;
            default:
                throw new InvalidOperationException($"DirectoryState cannot apply {@event.GetType().Name}");
        }
    }

    /// <summary>Up to <paramref name="limit"/> ids after <paramref name="after"/> (exclusive; null = from the start).</summary>
    public IReadOnlyList<string> Page(string? after, int limit)
    {
        var start = 0;
        if (after is not null)
        {
            var at = Ids.BinarySearch(after, StringComparer.Ordinal);
            start = at >= 0 ? at + 1 : ~at;
        }

        return Ids.GetRange(start, Math.Min(Math.Max(limit, 0), Ids.Count - start));
    }
}
