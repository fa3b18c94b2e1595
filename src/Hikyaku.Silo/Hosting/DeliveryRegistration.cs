using Hikyaku.Dns;
using Hikyaku.Domain.Secrets;
using Hikyaku.Domain.Unsubscribe;
using Hikyaku.Grains.Delivery;
using Hikyaku.Grains.SendingIps;
using Hikyaku.Grains.Sites;
using Hikyaku.Silo.Delivery;
using Hikyaku.Smtp;

namespace Hikyaku.Silo.Hosting;

/// <summary>Delivery: the SMTP sender, lanes' options, one-click unsubscribe tokens, and the router (sandbox or DNS).</summary>
public static class DeliveryRegistration
{
    public static IServiceCollection AddHikyakuDelivery(this IServiceCollection services, IConfiguration configuration, AdminKeyStore adminKey)
    {
        var delivery = configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>() ?? new DeliveryOptions();
        var problems = delivery.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Delivery configuration: " + string.Join("; ", problems));
        }

        var lanes = configuration.GetSection("Delivery:Lanes").Get<LaneOptions>() ?? new LaneOptions();
        lanes.UnsubscribeBaseUrl ??= PublicBase(configuration) + "/u/";
        if (delivery.Sandbox && configuration["Delivery:Lanes:ApplyProviderDefaults"] is null)
        {
            lanes.ApplyProviderDefaults = false; // the simulated providers need no warm-up
        }

        var blocks = configuration.GetSection(BlockOptions.SectionName).Get<BlockOptions>() ?? new BlockOptions();
        if (blocks.Validate() is { Count: > 0 } blockProblems)
        {
            throw new InvalidOperationException("Blocks configuration: " + string.Join("; ", blockProblems));
        }

        var warmup = configuration.GetSection(WarmupOptions.SectionName).Get<WarmupOptions>() ?? new WarmupOptions();
        if (delivery.Sandbox && configuration["Delivery:Warmup:NewIps"] is null)
        {
            warmup.NewIps = false; // the simulated providers need no warm-up
        }

        if (warmup.Validate() is { Count: > 0 } warmupProblems)
        {
            throw new InvalidOperationException("Warm-up configuration: " + string.Join("; ", warmupProblems));
        }

        services.AddSingleton(delivery);
        services.AddSingleton(warmup);
        services.AddSingleton(blocks);
        services.AddSingleton<BlockMetrics>();
        services.AddSingleton(lanes);
        services.AddSingleton<ISmtpSender>(sp => new SmtpSender(delivery, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ComposerCache>();
        services.AddSingleton<LaneSignals>();
        services.AddHostedService<StepSchedulerWaker>();

        // Tokens are sealed with a key derived from the cluster-wide admin key, so every silo reads every token.
        services.AddSingleton(new UnsubscribeToken(adminKey.Reveal()));
        services.AddSingleton(new SecretBox(adminKey.Reveal()));
        if (delivery.Sandbox)
        {
            services.AddSingleton<SandboxProviders>();
            services.AddHostedService(sp => sp.GetRequiredService<SandboxProviders>());
            services.AddSingleton<IDeliveryRouter, SandboxRouter>();
        }
        else
        {
            services.AddHikyakuDns(configuration.GetSection("Dns"));
            // Blocks:DnsblZones (or its defaults) unless the Dns section names its own.
            services.PostConfigure<Hikyaku.Dns.DnsOptions>(dns =>
            {
                if (dns.DnsblZones.Count == 0)
                {
                    dns.DnsblZones = [.. blocks.Zones];
                }
            });
            services.AddSingleton<IDnsblLookup, DnsDnsblLookup>();
            var routes = RouteTable.FromConfiguration(configuration.GetSection("Delivery:Routes"), delivery.SmtpPort);
            services.AddSingleton<IDeliveryRouter>(sp => new DnsRouter(sp.GetRequiredService<ISiteResolver>(), routes, delivery.SmtpPort));
        }

        return services;
    }

    /// <summary><c>Hikyaku:PublicUrl</c>, else the first listen address (wildcards as localhost), else ASP.NET's default.</summary>
    private static string PublicBase(IConfiguration configuration)
    {
        if (configuration["Hikyaku:PublicUrl"] is { Length: > 0 } publicUrl)
        {
            return publicUrl.TrimEnd('/');
        }

        var listen = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5000";
        return listen.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost").TrimEnd('/');
    }
}
