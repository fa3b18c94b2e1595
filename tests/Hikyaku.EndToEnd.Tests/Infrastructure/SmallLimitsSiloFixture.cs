using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An embedded silo whose body limits are small (16 KiB for JSON, 64 KiB for imports), so oversized bodies, chunked
/// or not, can be sent without megabytes of test data.
/// </summary>
public sealed class SmallLimitsSiloFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxImportBytes = 64 * 1024;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "hikyaku-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public SiloProcess Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await SiloProcess.StartAsync(DataDir, new Dictionary<string, string>
    {
        ["Hikyaku__Api__MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hikyaku__Api__MaxImportBytes"] = MaxImportBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync()
    {
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
