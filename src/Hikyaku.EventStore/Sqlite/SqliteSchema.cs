namespace Hikyaku.EventStore.Sqlite;

/// <summary>The SQLite schema: the same tables and keys as deploy/postgres/eventstore.sql in SQLite's types.</summary>
internal static class SqliteSchema
{
    /// <summary>
    /// WAL lets readers work beside the one writer; synchronous=NORMAL in WAL mode fsyncs at checkpoints,
    /// not at every commit (a power cut may lose the last commits, never corrupts the file) — the trade
    /// the embedded single-silo default makes. Both settings are set per writer connection.
    /// </summary>
    public const string WriterPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS hk_streams (
            stream_id TEXT PRIMARY KEY,
            version   INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS hk_events (
            seq       INTEGER PRIMARY KEY,
            stream_id TEXT NOT NULL,
            version   INTEGER NOT NULL,
            event_id  BLOB NOT NULL UNIQUE,
            type      TEXT NOT NULL,
            data      TEXT NOT NULL,
            at        TEXT NOT NULL,
            UNIQUE (stream_id, version)
        );

        CREATE TABLE IF NOT EXISTS hk_snapshots (
            stream_id TEXT PRIMARY KEY,
            version   INTEGER NOT NULL,
            type      TEXT NOT NULL,
            data      TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS hk_subscribers (
            tenant_id      TEXT NOT NULL,
            magazine_id    TEXT NOT NULL,
            email          TEXT NOT NULL,
            domain         TEXT NOT NULL,
            status         TEXT NOT NULL,
            status_reason  TEXT,
            subscribed_at  TEXT NOT NULL,
            updated_at     TEXT NOT NULL,
            last_reply     TEXT,
            stream_version INTEGER NOT NULL,
            step_story     TEXT,
            step_due_at    TEXT,
            PRIMARY KEY (tenant_id, magazine_id, email)
        ) WITHOUT ROWID;

        CREATE INDEX IF NOT EXISTS hk_subscribers_by_status ON hk_subscribers (tenant_id, magazine_id, status, email);
        CREATE INDEX IF NOT EXISTS hk_subscribers_by_domain ON hk_subscribers (tenant_id, magazine_id, domain);

        CREATE TABLE IF NOT EXISTS hk_checkpoints (
            name     TEXT PRIMARY KEY,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Run after <see cref="Create"/>: a database made before step mail gets the step columns (SQLite has no
    /// ADD COLUMN IF NOT EXISTS, so the store looks first), then the index the step scheduler reads by due time.
    /// </summary>
    public const string HasStepColumns = "SELECT COUNT(*) FROM pragma_table_info('hk_subscribers') WHERE name = 'step_due_at'";

    public const string AddStepColumns = "ALTER TABLE hk_subscribers ADD COLUMN step_story TEXT; ALTER TABLE hk_subscribers ADD COLUMN step_due_at TEXT;";

    public const string CreateStepIndex =
        "CREATE INDEX IF NOT EXISTS hk_subscribers_step_due ON hk_subscribers (tenant_id, magazine_id, step_due_at, email) WHERE step_due_at IS NOT NULL;";

    public const string UpsertSubscriber = """
        INSERT INTO hk_subscribers (tenant_id, magazine_id, email, domain, status, status_reason, subscribed_at, updated_at, last_reply, stream_version, step_story, step_due_at)
        VALUES ($tenant, $magazine, $email, $domain, $status, $reason, $subscribedAt, $updatedAt, $lastReply, $version, $stepStory, $stepDueAt)
        ON CONFLICT (tenant_id, magazine_id, email) DO UPDATE SET
            domain = excluded.domain, status = excluded.status, status_reason = excluded.status_reason,
            subscribed_at = excluded.subscribed_at, updated_at = excluded.updated_at,
            last_reply = excluded.last_reply, stream_version = excluded.stream_version,
            step_story = excluded.step_story, step_due_at = excluded.step_due_at
        """;

    /// <summary>A rebuilt row: replaces the stored one unless a live append already wrote it from a newer stream version.</summary>
    public const string UpsertRebuiltSubscriber = UpsertSubscriber + " WHERE excluded.stream_version >= hk_subscribers.stream_version";
}
