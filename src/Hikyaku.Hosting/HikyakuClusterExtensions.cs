using Hikyaku.Hosting.Postgres;
using Hikyaku.Hosting.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Hikyaku.Hosting;

/// <summary>How a Hikyaku silo joins its cluster and where Orleans keeps membership, grain state and reminders.</summary>
public static class HikyakuClusterExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql, as the providers' DbConnectionFactory knows it.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Clustered mode: membership, grain storage and reminders on one PostgreSQL database through Orleans' ADO.NET
    /// providers. Grain storage is registered as the default provider (name <c>"Default"</c>), so
    /// <c>[PersistentState("x")]</c> without a storage name uses it.
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="connectionString">Npgsql connection string (<c>ConnectionStrings:Hikyaku</c>).</param>
    /// <param name="clusterId">
    /// Sets <see cref="ClusterOptions.ClusterId"/> and <see cref="ClusterOptions.ServiceId"/>: silos with the same id
    /// on the same database form one cluster. Pass <see langword="null"/> to leave <see cref="ClusterOptions"/> to the
    /// caller (for example Kubernetes hosting, which sets it from the pod's labels).
    /// </param>
    /// <param name="applySchema">
    /// Apply <c>deploy/postgres/orleans.sql</c> before anything else in the silo starts (see
    /// <see cref="PostgresOrleansSchema.ApplyAsync"/>). Turn off when the database account may not run DDL and the
    /// script is applied by a migration job instead.
    /// </param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UsePostgresCluster(
        this ISiloBuilder silo, string connectionString, string? clusterId = "hikyaku", bool applySchema = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (clusterId is not null)
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = clusterId;
            });
        }

        if (applySchema)
        {
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
                new PostgresSchemaStartup(connectionString, services.GetRequiredService<ILogger<PostgresSchemaStartup>>()));
        }

        return silo
            .UseAdoNetClustering(options =>
            {
                options.Invariant = NpgsqlInvariant;
                options.ConnectionString = connectionString;
            })
            .AddAdoNetGrainStorageAsDefault(options =>
            {
                options.Invariant = NpgsqlInvariant;
                options.ConnectionString = connectionString;
            })
            .UseAdoNetReminderService(options =>
            {
                options.Invariant = NpgsqlInvariant;
                options.ConnectionString = connectionString;
            });
    }

    /// <summary>
    /// Embedded mode: durable reminders in a SQLite file (the ADO.NET reminder provider has no SQLite queries).
    /// Meant for the single embedded silo with localhost clustering; the caller configures clustering.
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="sqliteFilePath">The database file, for example <c>{Hikyaku:DataDir}/reminders.db</c>; its folder is created.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UseEmbeddedReminders(this ISiloBuilder silo, string sqliteFilePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sqliteFilePath);

        // As UseAdoNetReminderService does (Orleans.Reminders.AdoNet SiloBuilderReminderExtensions, 10.4.2): the
        // reminder grain service plus one IReminderTable singleton, which LocalReminderService starts and stops.
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable>(services => new SqliteReminderTable(
            Path.GetFullPath(sqliteFilePath), services.GetRequiredService<IOptions<ClusterOptions>>()));
        return silo;
    }
}
