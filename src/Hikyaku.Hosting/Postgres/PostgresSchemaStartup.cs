using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;

namespace Hikyaku.Hosting.Postgres;

/// <summary>
/// Applies the Orleans schema at <see cref="ServiceLifecycleStage.First"/> of the silo lifecycle, so it exists before
/// any provider reads <c>OrleansQuery</c>: membership starts at <c>RuntimeGrainServices</c> (MembershipTableManager),
/// grain storage at <c>ApplicationServices</c> (AdoNetGrainStorage), reminders with the reminder grain service
/// (verified in Orleans.Runtime MembershipTableManager.Participate and Orleans.Core ServiceLifecycleStage, 10.x).
/// A failure stops the silo start: without the schema the providers would fail anyway, less clearly.
/// </summary>
internal sealed partial class PostgresSchemaStartup(string connectionString, ILogger<PostgresSchemaStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.First, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        // Host and database only: the connection string may carry a password.
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var started = Stopwatch.GetTimestamp();
        await PostgresOrleansSchema.ApplyAsync(connectionString, cancellationToken);
        LogSchemaApplied(target.Host, target.Database, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Orleans schema applied to PostgreSQL {Host}/{Database} in {ElapsedMs:F0} ms")]
    private partial void LogSchemaApplied(string? host, string? database, double elapsedMs);
}
