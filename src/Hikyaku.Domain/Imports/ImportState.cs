using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Imports;

/// <summary>An import job: its stored chunks, what has been processed, and the counters.</summary>
[GenerateSerializer]
public sealed class ImportState : IEventSourcedState<ImportEvent>
{
    [Id(0)] public string? MagazineId { get; set; }

    [Id(1)] public int Total { get; set; }

    [Id(2)] public int ChunkCount { get; set; }

    /// <summary>Rows of chunks stored but not yet processed.</summary>
    [Id(3)] public Dictionary<int, IReadOnlyList<ImportRow>> PendingChunks { get; set; } = [];

    [Id(4)] public HashSet<int> ProcessedChunks { get; set; } = [];

    [Id(5)] public int Imported { get; set; }

    [Id(6)] public int Duplicates { get; set; }

    [Id(7)] public List<ImportRejection> Rejected { get; set; } = [];

    [Id(8)] public bool Accepted { get; set; }

    [Id(9)] public bool Finished { get; set; }

    /// <summary>Pages of parse rejections stored (their indexes), so a retried request does not store one twice.</summary>
    [Id(10)] public HashSet<int> RejectionPages { get; set; } = [];

    public string StateName => Finished ? "finished" : Accepted ? "running" : "receiving";

    /// <summary>The next stored chunk to process, or null.</summary>
    public int? NextChunk => PendingChunks.Count == 0 ? null : PendingChunks.Keys.Min();

    public void Apply(ImportEvent @event)
    {
        switch (@event)
        {
            case ImportChunkStored e:
                if (!ProcessedChunks.Contains(e.Index))
                {
                    PendingChunks[e.Index] = e.Rows;
                }

                break;
            case ImportRejectionsStored e:
                if (RejectionPages.Add(e.Index))
                {
                    Rejected.AddRange(e.Rejected);
                }

                break;
            case ImportAccepted e:
                MagazineId = e.MagazineId;
                Total = e.Total;
                ChunkCount = e.Chunks;
                Rejected.AddRange(e.Rejected);
                Duplicates += e.Duplicates;
                Accepted = true;
                break;
            case ImportChunkProcessed e:
                PendingChunks.Remove(e.Index);
                ProcessedChunks.Add(e.Index);
                Imported += e.Imported;
                Duplicates += e.Duplicates;
                Rejected.AddRange(e.Rejected);
                break;
            case ImportFinished:
                Finished = true;
                break;
            default:
                throw new InvalidOperationException($"ImportState cannot apply {@event.GetType().Name}");
        }
    }

    /// <summary>The counters and the first refused lines; <paramref name="byLine"/> is <see cref="Rejected"/> in line order.</summary>
    public ImportProgress ToProgress(string id, IReadOnlyList<ImportRejection> byLine) =>
        new(id, MagazineId ?? string.Empty, StateName, Total, Imported, Duplicates, byLine.Take(ImportProgress.FirstRejections).ToList(), byLine.Count);

    /// <summary>A page of <paramref name="byLine"/> (the refused lines in line order) after a line, exclusive.</summary>
    public static ImportRejectionPage PageOf(IReadOnlyList<ImportRejection> byLine, int afterLine, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var lo = 0;
        var hi = byLine.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (byLine[mid].Line <= afterLine)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var items = byLine.Skip(lo).Take(limit).ToList();
        return new ImportRejectionPage(items, lo + items.Count < byLine.Count ? items[^1].Line : null);
    }
}
