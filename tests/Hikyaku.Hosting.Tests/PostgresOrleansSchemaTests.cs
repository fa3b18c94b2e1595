using System.Reflection;
using System.Text.RegularExpressions;
using Hikyaku.Hosting.Postgres;
using Hikyaku.Testing;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Hikyaku.Hosting.Tests;

public sealed class PostgresOrleansSchemaTests
{
    [Fact]
    public async Task Schema_applies_twice_on_a_fresh_database_without_error()
    {
        var cs = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync();

        await PostgresOrleansSchema.ApplyAsync(cs, CancellationToken.None);
        var afterFirst = await QueryKeysAsync(cs);
        await PostgresOrleansSchema.ApplyAsync(cs, CancellationToken.None);

        Assert.Equal(afterFirst, await QueryKeysAsync(cs));
    }

    [Fact]
    public async Task Concurrent_silo_starts_apply_the_schema_without_colliding()
    {
        var cs = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostgresOrleansSchema.ApplyAsync(cs, CancellationToken.None)));

        Assert.NotEmpty(await QueryKeysAsync(cs));
    }

    [Fact]
    public async Task Schema_registers_every_query_key_the_10_4_providers_require()
    {
        var cs = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync();
        await PostgresOrleansSchema.ApplyAsync(cs, CancellationToken.None);

        // The providers list their required keys as the properties of their internal DbStoredQueries (which throws
        // at start-up on a missing one); grain storage names its keys in DefaultInitializationQuery.
        var required = StoredQueryKeys(typeof(AdoNetClusteringSiloOptions).Assembly, "Orleans.Clustering.AdoNet.Storage.DbStoredQueries")
            .Concat(StoredQueryKeys(typeof(AdoNetReminderTableOptions).Assembly, "Orleans.Reminders.AdoNet.Storage.DbStoredQueries"))
            .Concat(Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, "'(\\w+Key)'").Select(m => m.Groups[1].Value))
            .Append("CleanupDefunctSiloEntryKey") // optional in 10.4.2, used when present
            .ToHashSet();

        Assert.Equal(9 + 7 + 4 + 1, required.Count); // clustering, reminders, storage, optional cleanup
        Assert.Empty(required.Except(await QueryKeysAsync(cs)));
    }

    private static IEnumerable<string> StoredQueryKeys(Assembly assembly, string typeName) =>
        assembly.GetType(typeName, throwOnError: true)!
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name);

    private static async Task<List<string>> QueryKeysAsync(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
