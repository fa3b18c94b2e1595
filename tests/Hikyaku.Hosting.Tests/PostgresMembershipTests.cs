using Hikyaku.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Hikyaku.Hosting.Tests;

/// <summary>The membership queries that a steady two-silo run does not reach: gateway discovery and dead-row cleanup.</summary>
public sealed class PostgresMembershipTests
{
    [Fact]
    public async Task A_client_finds_the_silo_through_the_gateways_in_the_membership_table()
    {
        var cs = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync();
        await using var silo = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "gateways"));
        await silo.Grains.GetGrain<ICounterGrain>("c").Add(3);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("gateways", "gateways"))
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (HikyakuClusterExtensions.NpgsqlInvariant, cs)));
        using var clientHost = builder.Build();
        // A client that finds no gateway keeps retrying; fail within the test's patience instead.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await clientHost.StartAsync(patience.Token);

        Assert.Equal(3, await clientHost.Services.GetRequiredService<IClusterClient>().GetGrain<ICounterGrain>("c").Get());
        await clientHost.StopAsync();
    }

    [Fact]
    public async Task Cleanup_removes_the_row_of_a_stopped_silo_and_keeps_the_running_one()
    {
        var cs = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync();
        await using var running = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "cleanup"));
        var stoppedPort = 0;
        await using (var stopped = await TestSilo.StartAsync(s => s.UsePostgresCluster(cs, "cleanup")))
        {
            stoppedPort = stopped.SiloPort;
        }

        Assert.Equal(1, await RowCountAsync(cs, stoppedPort));

        // What MembershipTableCleanupAgent does once DefunctSiloExpiration has passed for the dead row.
        await running.Services.GetRequiredService<IMembershipTable>().CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.Equal(0, await RowCountAsync(cs, stoppedPort));
        Assert.Equal(1, await RowCountAsync(cs, running.SiloPort));
    }

    private static async Task<long> RowCountAsync(string cs, int port)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansMembershipTable WHERE Port = @port", connection);
        command.Parameters.AddWithValue("port", port);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
