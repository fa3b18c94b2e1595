namespace Hikyaku.Benchmarks;

/// <summary>A named benchmark program; discovered by reflection, selected by the first argument.</summary>
public interface IBenchmarkScenario
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs, prints figures as it goes, and returns them (name → value) to be written as JSON.</summary>
    Task<IReadOnlyDictionary<string, object>> RunAsync(string[] args);
}
