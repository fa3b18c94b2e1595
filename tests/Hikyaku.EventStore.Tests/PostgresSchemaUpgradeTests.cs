using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Tests.Contract;
using Hikyaku.Testing;
using Npgsql;

namespace Hikyaku.EventStore.Tests;

/// <summary>A database written by an earlier schema keeps its whole history when a silo of this one starts on it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaUpgradeTests
{
    // The log as the schema before stream numbers had it: keyed by the stream's name.
    private const string NamedStreamsSchema = """
        CREATE TABLE hk_streams (stream_id text PRIMARY KEY, version integer NOT NULL);
        CREATE TABLE hk_events (
            seq bigserial NOT NULL, stream_id text NOT NULL, version integer NOT NULL, event_id uuid NOT NULL,
            type text NOT NULL, data text NOT NULL, at timestamptz NOT NULL,
            CONSTRAINT hk_events_pkey PRIMARY KEY (stream_id, version), CONSTRAINT hk_events_event_id_key UNIQUE (event_id));
        CREATE INDEX hk_events_by_seq ON hk_events (seq);
        """;

    [Fact]
    public async Task A_log_keyed_by_stream_names_is_numbered_at_the_first_start_and_reads_back_whole()
    {
        var connectionString = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync("upgrade");
        var first = TestEvents.Some(3);
        var second = TestEvents.Some(2);
        await using (var old = new NpgsqlConnection(connectionString))
        {
            await old.OpenAsync();
            await Execute(old, NamedStreamsSchema);

            // Interleaved, as streams written at the same time are: the log's order is not the streams' order.
            foreach (var (stream, version, e) in new[] { ("reader:a", 1, first[0]), ("reader:b", 1, second[0]), ("reader:a", 2, first[1]), ("reader:a", 3, first[2]), ("reader:b", 2, second[1]) })
            {
                await Execute(old, "INSERT INTO hk_events (stream_id, version, event_id, type, data, at) VALUES ($1, $2, $3, $4, $5, $6)", stream, version, e.EventId, e.Type, e.Json, e.At);
            }

            await Execute(old, "INSERT INTO hk_streams VALUES ('reader:a', 3), ('reader:b', 2)");
        }

        await using var store = new PostgresEventStore(connectionString, new EventStoreOptions());
        await store.InitializeAsync();
        await store.InitializeAsync(); // the next start finds nothing left to do

        Assert.Equal(first.Select(e => (e.EventId, e.Type, e.At)), (await store.ReadStreamAsync("reader:a")).Select(e => (e.EventId, e.Type, e.At)));
        Assert.Equal(second.Select(e => e.EventId), (await store.ReadStreamAsync("reader:b")).Select(e => e.EventId));
        var log = await store.ReadAllAsync(0, 10);
        Assert.Equal(["reader:a", "reader:b", "reader:a", "reader:a", "reader:b"], log.Select(e => e.Event.StreamId));
        Assert.Equal([first[0].EventId, first[1].EventId], (await store.ReadAllAsync(0, 10, "reader:a")).Take(2).Select(e => e.Event.EventId));

        // Appends go on from the stored versions, and a retry of an old append is still recognised.
        Assert.Equal(new AppendResult(AppendStatus.Appended, 4), await store.AppendAsync(new AppendRequest("reader:a", 3, TestEvents.Some(1))));
        Assert.Equal(new AppendResult(AppendStatus.Conflict, 2), await store.AppendAsync(new AppendRequest("reader:b", 1, TestEvents.Some(1))));
        Assert.Equal(new AppendResult(AppendStatus.AlreadyAppended, 2), await store.AppendAsync(new AppendRequest("reader:b", 0, second)));
        Assert.Equal(4, (await store.ReadStreamAsync("reader:a")).Count);

        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var columns = new NpgsqlCommand("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'hk_events'", check);
        Assert.Equal("seq,version,event_id,type,data,at,stream_no", await columns.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_subscriber_table_from_before_step_mail_gets_the_step_columns_and_keeps_its_rows()
    {
        var connectionString = await (await TempPostgres.SharedAsync()).CreateDatabaseAsync("upgrade-steps");
        await using (var old = new NpgsqlConnection(connectionString))
        {
            await old.OpenAsync();
            await Execute(old, """
                CREATE TABLE hk_subscribers (tenant_id text NOT NULL, magazine_id text NOT NULL, email text COLLATE "C" NOT NULL, domain text NOT NULL,
                    status text NOT NULL, status_reason text, subscribed_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, last_reply text,
                    stream_version integer NOT NULL, CONSTRAINT hk_subscribers_pkey PRIMARY KEY (tenant_id, magazine_id, email));
                INSERT INTO hk_subscribers VALUES ('tenant-a', 'weekly', 'kept@x.jp', 'x.jp', 'active', NULL, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', NULL, 1);
                """);
        }

        await using var store = new PostgresEventStore(connectionString, new EventStoreOptions());
        await store.InitializeAsync();
        await store.InitializeAsync();

        var kept = await store.Subscribers.GetAsync("tenant-a", "weekly", "kept@x.jp");
        Assert.Equal(("active", null, null), (kept!.Status, kept.StepStory, kept.StepDueAt));
        var due = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        await store.Subscribers.UpsertAsync(kept with { StepStory = "welcome", StepDueAt = due });
        Assert.Equal(["welcome"], (await store.Subscribers.DueStepsAsync("tenant-a", "weekly", due, null, null, 10)).Select(r => r.StepStory));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
