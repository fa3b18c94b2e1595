namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// Rejects malformed appends before they join a batch, so a caller's bug fails that caller alone
/// instead of the transaction it would share with others.
/// </summary>
internal static class AppendRequestValidator
{
    public static void Validate(AppendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.StreamId))
        {
            throw new ArgumentException("StreamId is required.", nameof(request));
        }

        if (request.ExpectedVersion < 0)
        {
            throw new ArgumentException($"ExpectedVersion must be 0 (new stream) or more, was {request.ExpectedVersion}.", nameof(request));
        }

        if (request.Events is null || request.Events.Count == 0)
        {
            throw new ArgumentException($"An append to {request.StreamId} carries no events.", nameof(request));
        }

        if ((long)request.ExpectedVersion + request.Events.Count > int.MaxValue)
        {
            throw new ArgumentException($"Stream {request.StreamId} would pass the 32-bit version limit.", nameof(request));
        }

        var ids = new HashSet<Guid>();
        foreach (var e in request.Events)
        {
            if (e is null || string.IsNullOrEmpty(e.Type) || e.Json is null)
            {
                throw new ArgumentException($"An event for {request.StreamId} lacks a type or payload.", nameof(request));
            }

            if (e.EventId == Guid.Empty || !ids.Add(e.EventId))
            {
                throw new ArgumentException($"Event ids of an append to {request.StreamId} must be non-empty and distinct.", nameof(request));
            }
        }

        foreach (var row in request.SubscriberRows ?? [])
        {
            if (row is null || string.IsNullOrEmpty(row.TenantId) || string.IsNullOrEmpty(row.MagazineId) || string.IsNullOrEmpty(row.Email))
            {
                throw new ArgumentException($"A subscriber row for {request.StreamId} lacks tenant, magazine or email.", nameof(request));
            }
        }
    }
}
