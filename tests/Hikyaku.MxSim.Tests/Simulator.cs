using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

/// <summary>Starts a host with the given providers on free loopback ports and a fake clock.</summary>
internal static class Simulator
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static Task<MxSimHost> StartAsync(FakeTimeProvider clock, params ProviderOptions[] providers) =>
        MxSimHost.StartAsync(providers, clock);

    public static ProviderOptions Provider(string profile, params string[] mailboxes) =>
        new() { Profile = profile, Mailboxes = mailboxes };
}
