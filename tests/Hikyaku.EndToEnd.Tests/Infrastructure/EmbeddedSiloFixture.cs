using Hikyaku.Testing;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>One embedded-default silo (SQLite in a temp data folder) shared by a test class.</summary>
public class EmbeddedSiloFixture : IAsyncLifetime
{
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "hikyaku-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public SiloProcess Silo { get; private set; } = null!;

    /// <summary>More configuration for the silo, as <c>Section__Key</c> environment variables.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public async Task InitializeAsync() => Silo = await SiloProcess.StartAsync(DataDir, Settings);

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

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloCollection
{
    public const string Name = "silo processes";
}

/// <summary>
/// Step-mail scenarios: most of their time is spent waiting for stories to come due, so they run beside the bounce-intake
/// collection (both before the silo-process collection, which runs alone) rather than adding to its length.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StepMailCollection
{
    public const string Name = "step mail processes";
}
