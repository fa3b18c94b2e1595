using System.Diagnostics;
using System.Globalization;
using Hikyaku.Testing;
using Npgsql;

namespace Hikyaku.EventStore.Tests;

/// <summary>The throwaway PostgreSQL the suites start for themselves, and what it leaves behind.</summary>
public sealed class TempPostgresTests
{
    [Fact]
    public async Task The_server_stops_and_its_folder_goes_once_its_owner_process_has_ended_however_it_ended()
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", ["300"]) { UseShellExecute = false })!;
        var server = await TempPostgres.StartAsync(fsync: false, ownerPid: owner.Id);
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync();
        }

        // The owner is killed (as a test host torn down by its runner is); nothing in this process stops the server.
        owner.Kill();
        await owner.WaitForExitAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.Exists(server.DataDir) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.False(Directory.Exists(server.DataDir), "the server's folder outlived its owner by 30 s");
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        }
    }

    [Fact]
    public async Task A_cluster_whose_test_process_is_gone_is_stopped_and_removed_when_the_next_one_starts()
    {
        var live = await TempPostgres.SharedAsync();
        var abandoned = await TempPostgres.StartAsync(fsync: false);

        // Hand it to a process that has already exited, as if its test host had been killed before its exit handler ran.
        int gone;
        using (var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await process.WaitForExitAsync();
            gone = process.Id;
        }

        await File.WriteAllTextAsync(Path.Combine(abandoned.DataDir, TempPostgres.OwnerFile), gone.ToString(CultureInfo.InvariantCulture));

        await using var next = await TempPostgres.StartAsync(fsync: false);

        Assert.False(Directory.Exists(abandoned.DataDir), "the abandoned cluster's folder is still there");
        await using (var toAbandoned = new NpgsqlConnection(abandoned.AdminConnectionString))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => toAbandoned.OpenAsync());
        }

        // The clusters of live processes (this one's) are left alone.
        foreach (var server in new[] { live, next })
        {
            await using var connection = new NpgsqlConnection(server.AdminConnectionString);
            await connection.OpenAsync();
        }
    }

    [Fact]
    public async Task A_restarted_server_keeps_the_settings_it_was_started_with()
    {
        await using var server = await TempPostgres.StartAsync(fsync: false);
        Assert.Equal("off", await ShowAsync(server, "fsync"));

        await server.RestartAsync();

        Assert.Equal("off", await ShowAsync(server, "fsync"));
        Assert.Equal("300", await ShowAsync(server, "max_connections"));
    }

    private static async Task<string> ShowAsync(TempPostgres server, string setting)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await show.ExecuteScalarAsync())!;
    }
}
