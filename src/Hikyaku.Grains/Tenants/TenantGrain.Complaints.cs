using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Grains.Tenants;

/// <summary>The tenant's complaint count (ARF feedback reports from its readers), for its complaint rate.</summary>
public sealed partial class TenantGrain
{
    public async Task<bool> RecordComplaint(string complaintId, string magazineId, string email, string messageKey)
    {
        if (!State.Exists || State.ComplaintIds.Contains(complaintId))
        {
            return false;
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new TenantComplaintRecorded(stamp.Id, stamp.At, complaintId, magazineId, email, messageKey));
        return true;
    }

    public Task<ComplaintSummary> GetComplaints() => Task.FromResult(State.ToComplaintSummary());
}
