using Hikyaku.Domain.Bounces;
using Hikyaku.Grains.Delivery;
using Hikyaku.Intake;
using Hikyaku.Intake.Imap;
using Hikyaku.Intake.Mailbox;
using Hikyaku.Intake.Processing;
using Hikyaku.Intake.Smtp;

namespace Hikyaku.Silo.Hosting;

/// <summary>
/// Asynchronous bounces (<c>Bounces:*</c>): per-reader VERP return paths on outgoing mail, and the intake that
/// reads reports sent back to them — an SMTP listener for the bounce domain and/or a polled IMAP mailbox.
/// </summary>
public static class BounceIntakeRegistration
{
    public static IServiceCollection AddHikyakuBounceIntake(this IServiceCollection services, IConfiguration configuration, AdminKeyStore adminKey)
    {
        var options = configuration.GetSection(BounceOptions.SectionName).Get<BounceOptions>() ?? new BounceOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Bounces configuration: " + string.Join("; ", problems));
        }

        // Sealed with a key derived from the cluster-wide admin key (another HKDF name than the unsubscribe
        // token's), so every silo opens every return path.
        var tokens = new ReturnPathToken(adminKey.Reveal());
        services.AddSingleton(options);
        services.AddSingleton(new ReturnPaths(tokens, options.ReturnPathsOn ? options.Domain : null));
        if (!options.ReturnPathsOn)
        {
            return services;
        }

        services.AddSingleton<IBounceRecorder, GrainBounceRecorder>();
        services.AddSingleton(sp => new BounceProcessor(tokens, options.Domain!, sp.GetRequiredService<IBounceRecorder>(), sp.GetRequiredService<ILogger<BounceProcessor>>()));
        if (options.ListenEndPoint is not null)
        {
            services.AddHostedService<BounceSmtpListener>();
        }

        if (options.Imap.Enabled)
        {
            services.AddHostedService<ImapBouncePoller>();
        }

        if (options.Pop3.Enabled)
        {
            services.AddHostedService<Pop3BouncePoller>();
        }

        return services;
    }
}
