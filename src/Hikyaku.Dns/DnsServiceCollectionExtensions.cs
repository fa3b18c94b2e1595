using Hikyaku.Domain.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hikyaku.Dns;

/// <summary>Registers the DNS adapter.</summary>
public static class DnsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMxResolver"/>, <see cref="ISiteResolver"/> and <see cref="IDnsblChecker"/>
    /// (singletons: the MX cache is shared) with <see cref="DnsOptions"/> bound from
    /// <paramref name="section"/> (the <c>Dns</c> section) and validated at start-up.
    /// </summary>
    public static IServiceCollection AddHikyakuDns(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<DnsOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(SiteRollup.Default);
        services.TryAddSingleton<IMxResolver>(sp => new MxResolver(
            sp.GetRequiredService<IOptions<DnsOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<MxResolver>>()));
        services.TryAddSingleton<IDnsblChecker>(sp => new DnsblChecker(
            sp.GetRequiredService<IOptions<DnsOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<DnsblChecker>>()));
        services.TryAddSingleton<ISiteResolver, SiteResolver>();
        return services;
    }

    private sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
    {
        public ValidateOptionsResult Validate(string? name, DnsOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
