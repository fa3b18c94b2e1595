using Hikyaku.Testing;
using Orleans.Hosting;

namespace Hikyaku.Hosting.Tests;

/// <summary>The embedded mode: one silo, localhost clustering, reminders in a SQLite file.</summary>
public sealed class EmbeddedSiloTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hikyaku-embedded-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Reminder_survives_a_restart_of_the_embedded_silo_and_fires_again()
    {
        var file = Path.Combine(_dir, "reminders.db");
        var key = "embedded-" + Guid.NewGuid().ToString("N");
        // Free ports, not the defaults 11111/30000 that a developer's own silo may hold.
        void Embedded(ISiloBuilder silo) => silo
            .UseLocalhostClustering(TempPostgres.FreeLoopbackPort(), TempPostgres.FreeLoopbackPort())
            .UseEmbeddedReminders(file);
        await using (var before = await TestSilo.StartAsync(Embedded))
        {
            await before.Grains.GetGrain<IReminderProbeGrain>(key).Register(TimeSpan.FromSeconds(1));
        }

        var ticksBeforeRestart = ReminderProbeGrain.Ticks.GetValueOrDefault(key);
        await using var after = await TestSilo.StartAsync(Embedded);

        Assert.True(await after.Grains.GetGrain<IReminderProbeGrain>(key).IsRegistered());
        Assert.True(
            await Poll.UntilAsync(() => Task.FromResult(ReminderProbeGrain.Ticks.GetValueOrDefault(key) > ticksBeforeRestart), TimeSpan.FromSeconds(30)),
            "the reminder did not fire after the restart");
    }
}
