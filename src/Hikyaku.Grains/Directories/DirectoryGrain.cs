using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Domain.Directories;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Directories;

public sealed class DirectoryGrain(EventSourcingServices services) : EventSourcedGrain<DirectoryState, DirectoryEvent>(services), IDirectoryGrain
{
    protected override string StreamId => $"directory:{this.GetPrimaryKeyString()}";

    protected override string SnapshotName => "directory-state.v1";

    public async Task Add(string id)
    {
        if (!State.Contains(id))
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new DirectoryEntryAdded(stamp.Id, stamp.At, id));
        }
    }

    public Task Remember(string id) => Add(id);

    public Task<IReadOnlyList<string>> Page(string? after, int limit) => Task.FromResult(State.Page(after, limit));
}
