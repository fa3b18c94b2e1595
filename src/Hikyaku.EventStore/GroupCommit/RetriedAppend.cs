namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// Orleans' CustomStorage retries a write that threw, even when the throw (a timeout, a dropped
/// connection) came after the commit. Such a retry carries the same event ids at the same expected
/// version; it must report AlreadyAppended rather than Conflict, and must not write twice.
/// </summary>
internal static class RetriedAppend
{
    /// <summary>
    /// Whether every event id of <paramref name="request"/> is stored in its stream at the version the
    /// request meant for it. <paramref name="found"/> maps stored event ids to where they are.
    /// </summary>
    public static bool AlreadyLanded(AppendRequest request, IReadOnlyDictionary<Guid, (string StreamId, int Version)> found)
    {
        for (var i = 0; i < request.Events.Count; i++)
        {
            if (!found.TryGetValue(request.Events[i].EventId, out var at)
                || at.StreamId != request.StreamId
                || at.Version != request.ExpectedVersion + i + 1)
            {
                return false;
            }
        }

        return true;
    }
}
