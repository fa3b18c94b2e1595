using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Imports;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Imports;

/// <summary>
/// Subscribes an import's readers in the background, one stored chunk per timer tick so progress queries are
/// answered between chunks. A reminder brings the grain back after a crash; it resumes at the first chunk not
/// yet processed (readers of that chunk already subscribed then count as duplicates).
/// </summary>
public sealed class ImportGrain(EventSourcingServices services) : EventSourcedGrain<ImportState, ImportEvent>(services), IImportGrain, IRemindable
{
    /// <summary>How an imported reader's subscription names its source: this, then the import's id.</summary>
    public const string SourcePrefix = "import:";

    private const string ResumeReminder = "resume-import";
    private IGrainTimer? _timer;
    private IReadOnlyList<ImportRejection> _byLine = [];

    private (string TenantId, string ImportId) Key
    {
        get
        {
            var (tenant, rest) = GrainKeys.SplitTenant(this.GetPrimaryKeyString());
            return (tenant, rest);
        }
    }

    protected override string StreamId => $"import:{this.GetPrimaryKeyString()}";

    public async Task StoreChunk(int index, IReadOnlyList<ImportRow> rows)
    {
        if (State.Accepted || State.PendingChunks.ContainsKey(index) || State.ProcessedChunks.Contains(index))
        {
            return;
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new ImportChunkStored(stamp.Id, stamp.At, index, rows));
    }

    public async Task StoreRejections(int index, IReadOnlyList<ImportRejection> rejected)
    {
        if (State.Accepted || State.RejectionPages.Contains(index))
        {
            return;
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new ImportRejectionsStored(stamp.Id, stamp.At, index, rejected));
    }

    public async Task Accept(string magazineId, int total, int chunks, int duplicates)
    {
        if (State.Accepted)
        {
            return;
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new ImportAccepted(stamp.Id, stamp.At, magazineId, total, chunks, [], duplicates));
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartProcessing();
    }

    public Task<ImportProgress?> GetProgress() =>
        Task.FromResult(State.Accepted ? State.ToProgress(Key.ImportId, RejectedByLine()) : null);

    public Task<ImportRejectionPage?> GetRejections(int afterLine, int limit) =>
        Task.FromResult(State.Accepted ? ImportState.PageOf(RejectedByLine(), afterLine, limit) : null);

    /// <summary>The refused lines in line order, sorted again only when more arrived since the last sort.</summary>
    private IReadOnlyList<ImportRejection> RejectedByLine()
    {
        if (_byLine.Count != State.Rejected.Count)
        {
            _byLine = State.Rejected.OrderBy(r => r.Line).ToArray();
        }

        return _byLine;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        StartProcessing();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        StartProcessing();
    }

    private void StartProcessing()
    {
        if (_timer is null && State.Accepted && !State.Finished)
        {
            _timer = this.RegisterGrainTimer(ProcessNextChunk, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(1)) { KeepAlive = true });
        }
    }

    private async Task ProcessNextChunk(CancellationToken cancellationToken)
    {
        if (State.NextChunk is { } index)
        {
            await ProcessChunk(index, State.PendingChunks[index]);
            return;
        }

        if (!State.Finished)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new ImportFinished(stamp.Id, stamp.At));
        }

        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task ProcessChunk(int index, IReadOnlyList<ImportRow> rows)
    {
        var source = $"{SourcePrefix}{Key.ImportId}";
        var outcomes = await Task.WhenAll(rows.Select(row =>
            GrainFactory.GetGrain<ISubscriberGrain>(GrainKeys.Reader(Key.TenantId, State.MagazineId!, row.Email)).Subscribe(row.Name, row.Fields, source)));
        var imported = outcomes.Count(o => o.Succeeded);
        var duplicates = outcomes.Count(o => o.Error?.Kind == ErrorKind.Conflict);
        var rejected = outcomes.Select((o, i) => (o, rows[i]))
            .Where(x => x.o.Error is { Kind: not ErrorKind.Conflict })
            .Select(x => new ImportRejection(x.Item2.Line, x.o.Error!.Message))
            .ToList();
        var stamp = NewStamp();
        await RaiseAndConfirm(new ImportChunkProcessed(stamp.Id, stamp.At, index, imported, duplicates, rejected));
    }
}
