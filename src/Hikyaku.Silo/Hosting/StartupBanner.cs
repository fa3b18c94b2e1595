using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hikyaku.Silo.Hosting;

/// <summary>What a newcomer needs on the console: where the API, docs and dashboard are, and the admin key once.</summary>
public static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HikyakuOptions>>().Value;
        var key = app.Services.GetRequiredService<AdminKeyStore>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault()?.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost").Replace("+", "localhost") ?? "http://localhost:5000";

        Console.WriteLine();
        Console.WriteLine($"Hikyaku is ready ({options.Storage}, data in {Path.GetFullPath(options.DataDir)})");
        Console.WriteLine($"  API        {url}/v1");
        Console.WriteLine($"  Docs       {url}/docs   (OpenAPI: {url}/openapi/v1.json)");
        Console.WriteLine($"  Dashboard  {url}/dashboard   (user 'admin', password: the admin key)");
        if (key.Generated)
        {
            // Printed this once; afterwards it is only in the key file.
            Console.WriteLine($"  Admin key  {key.Reveal()}   (generated now, stored in {key.KeyFile}; it is not shown again)");
        }
        else if (key.KeyFile is not null)
        {
            Console.WriteLine($"  Admin key  in {key.KeyFile}");
        }

        Console.WriteLine();
    }
}
