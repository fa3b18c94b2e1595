using Hikyaku.Contracts.Grains;
using Hikyaku.EventStore;
using Hikyaku.Silo.Api;
using Hikyaku.Silo.Auth;
using Hikyaku.Silo.Faults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Hikyaku.Silo.Hosting;

/// <summary>Composition of the whole host: options, event store, Orleans, authentication, API, docs, dashboard.</summary>
public static class HikyakuHost
{
    public static WebApplicationBuilder AddHikyaku(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(HikyakuOptions.Section).Get<HikyakuOptions>() ?? new HikyakuOptions();
        var postgres = builder.Configuration.GetConnectionString("Hikyaku");
        var problems = options.Validate(postgres).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(HikyakuOptions.Section, typeof(HikyakuOptions), problems);
        }

        builder.Services.AddSingleton(Options.Create(options));
        var adminKey = AdminKeyStore.Load(options);
        builder.Services.AddSingleton(adminKey);
        builder.Services.AddHikyakuEventStore(options, postgres);
        builder.Services.AddHikyakuDelivery(builder.Configuration, adminKey);
        builder.Services.AddHikyakuBounceIntake(builder.Configuration, adminKey);
        builder.UseOrleans(silo => silo.ConfigureSilo(options, postgres));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Api.MaxImportBytes + 1);

        builder.Services.AddHikyakuProblemDetails();
        builder.Services.AddSingleton(new FaultAnswers(options.Api.RetryAfter));
        builder.Services.AddSingleton(sp => new EventStoreCheck(
            options.Storage == StorageKind.Postgres ? "PostgreSQL" : "SQLite",
            cancel => sp.GetRequiredService<IEventStore>().GetStreamVersionAsync("health:probe", cancel),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddExceptionHandler<FaultExceptionHandler>();
        builder.Services.AddAuthentication(HikyakuAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HikyakuAuthenticationHandler>(HikyakuAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(HikyakuAuthenticationHandler.AdminRole))
            .AddPolicy(Policies.Tenant, p => p.RequireClaim(HikyakuAuthenticationHandler.TenantClaim))
            .AddPolicy(Policies.TenantOrAdmin, p => p.RequireAssertion(c =>
                c.User.IsInRole(HikyakuAuthenticationHandler.AdminRole) || c.User.HasClaim(x => x.Type == HikyakuAuthenticationHandler.TenantClaim)));
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("cluster-and-store", tags: ["ready"]);
        builder.Services.AddHikyakuOpenApi();
        return builder;
    }

    public static WebApplication MapHikyaku(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiDeadline(app.Services.GetRequiredService<IOptions<HikyakuOptions>>().Value.Api.Deadline);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHikyakuApiReference();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.Admin).ExcludeFromDescription();

        app.MapAdminApi();
        app.MapComplaintsApi();
        app.MapMagazinesApi();
        app.MapStepsApi();
        app.MapJobsApi();
        app.MapSubscribersApi();
        app.MapReaderListApi();
        app.MapImportsApi();
        app.MapBroadcastsApi();
        app.MapSettingsApi();
        app.MapDiagnosisApi();
        app.MapBlocksApi();
        app.MapSandboxApi();
        app.MapProjectionsApi();
        app.MapUnsubscribeEndpoint();
        if (app.Services.GetService<Hikyaku.Grains.Sites.IDnsblLookup>() is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() => _ = StartDnsblWatch(app.Services));
        }
        return app;
    }

    /// <summary>Starts the DNS block list watch once the silo runs (its reminder keeps it going after that).</summary>
    private static async Task StartDnsblWatch(IServiceProvider services)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Hikyaku.Silo.Dnsbl");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                await grains.GetGrain<IDnsblWatchGrain>(IDnsblWatchGrain.Key).Start();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The DNS block list watch did not start (attempt {Attempt} of 5)", attempt);
                await Task.Delay(TimeSpan.FromSeconds(5 * attempt));
            }
        }
    }
}
