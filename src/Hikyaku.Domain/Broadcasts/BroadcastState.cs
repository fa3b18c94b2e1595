using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Broadcasts;

/// <summary>
/// A broadcast folded from its stream: content, the audience fixed at start (pages of addresses), each reader's
/// latest result, and the counters. A reader's final result counts once however often it is reported, so
/// <c>pending + delivered + held + errorStopped + bounced = total</c> holds after every event.
/// </summary>
[GenerateSerializer]
public sealed class BroadcastState : IEventSourcedState<BroadcastEvent>
{
    [Id(0)] public BroadcastCreated? Content { get; set; }

    [Id(1)] public List<List<string>> Pages { get; set; } = [];

    /// <summary>Per page, per reader: the latest result reported (null until one is).</summary>
    [Id(2)] public List<string?[]> Results { get; set; } = [];

    [Id(3)] public DateTimeOffset? StartedAt { get; set; }

    [Id(4)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(5)] public int Total { get; set; }

    [Id(6)] public int Delivered { get; set; }

    [Id(7)] public int Deferred { get; set; }

    [Id(8)] public int Held { get; set; }

    [Id(9)] public int ErrorStopped { get; set; }

    [Id(10)] public Dictionary<string, int> Bounced { get; set; } = new(StringComparer.Ordinal);

    [Id(11)] public List<string> SourceIps { get; set; } = [];

    /// <summary>Readers with a final result (including skipped ones, which also leave the total).</summary>
    [Id(12)] public int Finished { get; set; }

    /// <summary>
    /// Readers (page and index, as one number) whose error stop a block took back before the error stop itself was reported here (the lane
    /// that stopped them reports at the end of its batch; a clean lane can find the block sooner): that report, when it
    /// comes, is already undone.
    /// </summary>
    [Id(13)] public HashSet<long> TakenBack { get; set; } = [];

    private static long Slot(RecipientResult r) => ((long)r.Page << 32) | (uint)r.Index;

    public bool Exists => Content is not null;

    public bool Started => StartedAt is not null;

    public int Pending => Total - Delivered - Held - ErrorStopped - Bounced.Values.Sum();

    public string StateName => FinishedAt is not null ? "finished" : Started ? "sending" : "scheduled";

    public void Apply(BroadcastEvent @event)
    {
        switch (@event)
        {
            case BroadcastCreated e:
                Content = e;
                break;
            case BroadcastAudiencePaged e:
                while (Pages.Count <= e.Page)
                {
                    Pages.Add([]);
                    Results.Add([]);
                }

                Pages[e.Page] = [.. e.Emails];
                Results[e.Page] = new string?[e.Emails.Count];
                break;
            case BroadcastStarted e:
                StartedAt = e.At;
                Total = e.Total;
                SourceIps = [.. e.SourceIps];
                break;
            case BroadcastResultsRecorded e:
                foreach (var r in e.Results)
                {
                    Record(r);
                }

                break;
            case BroadcastFinished e:
                FinishedAt = e.At;
                break;
            default:
                throw new InvalidOperationException($"BroadcastState cannot apply {@event.GetType().Name}");
        }
    }

    /// <summary>True when the reader at (page, index) has no final result yet.</summary>
    public bool IsOpen(int page, int index)
    {
        if (page >= Results.Count || index >= Results[page].Length)
        {
            return false;
        }

        var result = Results[page][index];
        return result is null || !RecipientResults.IsFinal(result);
    }

    public bool AllFinal => Started && Finished >= Pages.Sum(p => p.Count);

    public BroadcastView ToView(string id) => new(
        id, Content?.MagazineId ?? string.Empty, StateName, Total, Pending, Delivered, Deferred, Held,
        new Dictionary<string, int>(Bounced), ErrorStopped, Content?.At ?? default, StartedAt, FinishedAt, Content?.Subject ?? string.Empty, Content?.SendAt);

    private void Record(RecipientResult r)
    {
        if (r.Page >= Results.Count || r.Index >= Results[r.Page].Length)
        {
            return;
        }

        var previous = Results[r.Page][r.Index];
        if (r.Reopens && previous == RecipientResults.ErrorStopped && r.Result == RecipientResults.Held)
        {
            ErrorStopped--;
            Finished--;
            Results[r.Page][r.Index] = RecipientResults.Held;
            Held++;
            return;
        }

        if (r.Reopens && r.Result == RecipientResults.Held && previous is null or RecipientResults.Deferred or RecipientResults.Held)
        {
            // Taken back before the error stop was reported here: remember it, so the late report does not count.
            TakenBack.Add(Slot(r));
        }
        else if (r.Result == RecipientResults.ErrorStopped && previous == RecipientResults.Held && TakenBack.Remove(Slot(r)))
        {
            return;
        }

        if (previous is not null && RecipientResults.IsFinal(previous))
        {
            return; // counted already: a final result is reported again after a crash or a resend
        }

        if (previous == RecipientResults.Deferred)
        {
            Deferred--;
        }
        else if (previous == RecipientResults.Held)
        {
            Held--;
        }

        Results[r.Page][r.Index] = r.Result;
        switch (r.Result)
        {
            case RecipientResults.Deferred: Deferred++; return;
            case RecipientResults.Delivered: Delivered++; break;
            case RecipientResults.Held: Held++; return; // waits for a clean lane: the broadcast is not finished
            case RecipientResults.ErrorStopped: ErrorStopped++; break;
            case RecipientResults.Bounced:
                var reason = r.Reason ?? "undefined";
                Bounced[reason] = Bounced.GetValueOrDefault(reason) + 1;
                break;
            case RecipientResults.Failed:
                // Counted with the bounces, under one key of its own: Hikyaku's permanent failures, not the provider's.
                Bounced[RecipientResults.Failed] = Bounced.GetValueOrDefault(RecipientResults.Failed) + 1;
                break;
            case RecipientResults.HeldExpired:
                Bounced[RecipientResults.HeldExpired] = Bounced.GetValueOrDefault(RecipientResults.HeldExpired) + 1;
                break;
            case RecipientResults.Skipped: Total--; break;
        }

        Finished++;
    }
}
