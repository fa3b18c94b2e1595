using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// A background import of readers. The request stores its parsed rows in chunks and is answered
/// at once; the grain subscribes the readers afterwards and resumes after a crash. Key: <c>{tenantId}/{importId}</c>.
/// </summary>
[Alias("hikyaku.IImportGrain")]
public interface IImportGrain : IGrainWithStringKey
{
    /// <summary>Stores one chunk of rows (idempotent per index).</summary>
    [Alias("StoreChunk")]
    Task StoreChunk(int index, IReadOnlyList<ImportRow> rows);

    /// <summary>Accepts the import once every chunk is stored, and starts it.</summary>
    [Alias("Accept")]
    Task Accept(string magazineId, int total, int chunks, IReadOnlyList<ImportRejection> rejected);

    /// <summary>The progress, or null when no such import exists.</summary>
    [Alias("GetProgress")]
    Task<ImportProgress?> GetProgress();
}
