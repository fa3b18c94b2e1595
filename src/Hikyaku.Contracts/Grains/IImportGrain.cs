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

    /// <summary>Stores one page of the lines refused while parsing (idempotent per index).</summary>
    [Alias("StoreRejections")]
    Task StoreRejections(int index, IReadOnlyList<ImportRejection> rejected);

    /// <summary>Accepts the import once every chunk and page of rejections is stored, and starts it.</summary>
    /// <param name="duplicates">Rows that repeated an address of an earlier row of the file.</param>
    [Alias("AcceptCounted")]
    Task Accept(string magazineId, int total, int chunks, int duplicates);

    /// <summary>Refused lines after <paramref name="afterLine"/> (exclusive), by line, at most <paramref name="limit"/>.</summary>
    [Alias("GetRejections")]
    Task<ImportRejectionPage?> GetRejections(int afterLine, int limit);

    /// <summary>The progress, or null when no such import exists.</summary>
    [Alias("GetProgress")]
    Task<ImportProgress?> GetProgress();
}
