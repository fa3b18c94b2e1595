using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>A magazine (mail-magazine list) of a tenant. Key: <c>{tenantId}/{magazineId}</c>.</summary>
[Alias("hikyaku.IMagazineGrain")]
public interface IMagazineGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<Outcome<MagazineView>> Create(string name, string fromAddress, string? fromName);

    [Alias("Get")]
    Task<MagazineView?> Get();
}
