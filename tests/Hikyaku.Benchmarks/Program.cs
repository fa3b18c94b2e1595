using System.Reflection;
using System.Text.Json;
using Hikyaku.Benchmarks;

// Usage: dotnet run -c Release --project tests/Hikyaku.Benchmarks -- <scenario> [options]
// Each scenario prints its figures and writes them as JSON under BenchmarkResults/.
var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name)
    .ToList();

if (args.Length == 0 || scenarios.All(s => s.Name != args[0]))
{
    Console.WriteLine("scenarios:");
    foreach (var s in scenarios)
    {
        Console.WriteLine($"  {s.Name,-24} {s.Description}");
    }

    return args.Length == 0 ? 0 : 2;
}

var scenario = scenarios.Single(s => s.Name == args[0]);
var results = await scenario.RunAsync(args[1..]);
var dir = Path.Combine(Environment.CurrentDirectory, "BenchmarkResults");
Directory.CreateDirectory(dir);
var file = Path.Combine(dir, $"{scenario.Name}-{DateTime.UtcNow:yyyyMMddTHHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"results written to {file}");
return 0;
