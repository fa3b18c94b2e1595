using Hikyaku.Testing;
using Npgsql;

namespace Hikyaku.Hosting.Tests;

/// <summary>Real silos on loopback against a throwaway PostgreSQL, each test on its own fresh database.</summary>
public sealed class PostgresClusterTests
{
    private const int ActiveStatus = 3; // Orleans.Runtime.SiloStatus.Active
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_silo_started_on_an_empty_database_creates_the_schema_and_is_active_in_the_membership_table()
    {
        var cs = await FreshDatabaseAsync();
        await using var silo = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "membership"));

        Assert.Equal([ActiveStatus], await MemberStatusesAsync(cs, "membership", silo.SiloPort));
    }

    [Fact]
    public async Task Two_silos_on_one_database_form_one_cluster()
    {
        var cs = await FreshDatabaseAsync();
        await using var first = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "pair"));
        await using var second = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "pair"));

        var hosts = await first.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
        Assert.Equal([ActiveStatus], await MemberStatusesAsync(cs, "pair", first.SiloPort));
        Assert.Equal([ActiveStatus], await MemberStatusesAsync(cs, "pair", second.SiloPort));
    }

    [Fact]
    public async Task Grain_state_written_before_a_cluster_restart_is_read_back_after_it()
    {
        var cs = await FreshDatabaseAsync();
        await using (var before = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "storage")))
        {
            var counter = before.Grains.GetGrain<ICounterGrain>("reader-42");
            await counter.Add(5);
            await counter.Add(2);
        }

        await using var after = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "storage"));

        Assert.Equal(7, await after.Grains.GetGrain<ICounterGrain>("reader-42").Get());
    }

    [Fact]
    public async Task Reminder_registered_before_a_cluster_restart_is_kept_and_fires_after_it()
    {
        var cs = await FreshDatabaseAsync();
        var key = "pg-" + Guid.NewGuid().ToString("N");
        await using (var before = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "reminders")))
        {
            await before.Grains.GetGrain<IReminderProbeGrain>(key).Register(TimeSpan.FromSeconds(1));
        }

        var ticksBeforeRestart = ReminderProbeGrain.Ticks.GetValueOrDefault(key);
        await using var after = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "reminders"));

        Assert.True(await after.Grains.GetGrain<IReminderProbeGrain>(key).IsRegistered());
        Assert.True(
            await Poll.UntilAsync(() => Task.FromResult(ReminderProbeGrain.Ticks.GetValueOrDefault(key) > ticksBeforeRestart), Patience),
            "the reminder did not fire after the restart");
    }

    private static async Task<string> FreshDatabaseAsync() => await (await TempPostgres.SharedAsync()).CreateDatabaseAsync();

    private static async Task<List<int>> MemberStatusesAsync(string cs, string clusterId, int siloPort)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Port = @port", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("port", siloPort);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new List<int>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }
}
