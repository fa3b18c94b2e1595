-- Hikyaku event store schema for PostgreSQL 15+.
-- Idempotent: PostgresEventStore.InitializeAsync applies this very file (embedded in the
-- Hikyaku.EventStore assembly) at every start, inside a transaction holding an advisory lock so
-- several silos starting at once do not race on CREATE ... IF NOT EXISTS. To apply it by hand:
--   psql -1 -v ON_ERROR_STOP=1 -f deploy/postgres/eventstore.sql

-- One row per stream: its current version. An append claims the next versions by updating this
-- row WHERE version = expected (or inserting it when expected = 0); zero rows = a conflict.
CREATE TABLE IF NOT EXISTS hk_streams (
    stream_id text PRIMARY KEY,
    version   integer NOT NULL
);
-- Every append rewrites its stream's row; room left on each page lets PostgreSQL keep the new row
-- version on the same page (a HOT update: no index entry to add, no bloat for vacuum to chase).
ALTER TABLE hk_streams SET (fillfactor = 50);

-- The stream's number, which its events carry instead of its name: an 8-byte key keeps the log's primary key
-- small and cheap to insert into, however long stream names get (a reader's holds tenant, magazine and address).
-- Given once, never changed (so the claim's update of version stays HOT). Added to an existing table, every
-- stream gets its number at the first start.
ALTER TABLE hk_streams ADD COLUMN IF NOT EXISTS stream_no bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX IF NOT EXISTS hk_streams_stream_no ON hk_streams (stream_no);

-- The log. (stream_no, version) orders a stream (join hk_streams for its name); event_id makes a retried
-- append recognisable; seq is the global append order for catch-up readers (it may show gaps, and is not
-- commit order). data is JSON kept as text: the store never looks inside, and text is neither parsed on
-- append nor printed on replay as jsonb would be (ops can still query it as data::jsonb).
CREATE TABLE IF NOT EXISTS hk_events (
    seq       bigserial NOT NULL,
    stream_no bigint NOT NULL,
    version   integer NOT NULL,
    event_id  uuid NOT NULL,
    type      text NOT NULL,
    data      text NOT NULL,
    at        timestamptz NOT NULL,
    CONSTRAINT hk_events_pkey PRIMARY KEY (stream_no, version),
    CONSTRAINT hk_events_event_id_key UNIQUE (event_id)
);

-- Earlier schemas keyed the log by the stream's name. The first start after this change numbers the events
-- of such a log in place, in this script's transaction (so every silo sees the log one way or the other): it
-- rewrites the table and its primary key once, which takes a while on a large log. Silos of the earlier
-- schema cannot write to the numbered log: stop them all before the first silo of this one starts.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'hk_events' AND column_name = 'stream_id') THEN
        ALTER TABLE hk_events ADD COLUMN stream_no bigint;
        UPDATE hk_events e SET stream_no = s.stream_no FROM hk_streams s WHERE s.stream_id = e.stream_id;
        ALTER TABLE hk_events ALTER COLUMN stream_no SET NOT NULL;
        ALTER TABLE hk_events DROP CONSTRAINT hk_events_pkey;
        ALTER TABLE hk_events ADD CONSTRAINT hk_events_pkey PRIMARY KEY (stream_no, version);
        ALTER TABLE hk_events DROP COLUMN stream_id;
    END IF;
END
$$;

-- Catch-up readers (projection rebuilds) page through the log by seq. Appends add at the right edge of
-- this index, which keeps its cost small; on a large existing table the first start after this line
-- was added builds it while holding the schema lock.
CREATE INDEX IF NOT EXISTS hk_events_by_seq ON hk_events (seq);

-- Latest snapshot per stream; a writer only replaces an older one. The state is opaque to the
-- store and must read back byte for byte, hence text rather than jsonb.
CREATE TABLE IF NOT EXISTS hk_snapshots (
    stream_id text PRIMARY KEY,
    version   integer NOT NULL,
    type      text NOT NULL,
    data      text NOT NULL
);

-- The subscriber projection, written in the same transaction as the events that change it.
-- Emails sort bytewise (COLLATE "C") so keyset pages are stable whatever the database locale.
CREATE TABLE IF NOT EXISTS hk_subscribers (
    tenant_id      text NOT NULL,
    magazine_id    text NOT NULL,
    email          text COLLATE "C" NOT NULL,
    domain         text NOT NULL,
    status         text NOT NULL,
    status_reason  text,
    subscribed_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    last_reply     text,
    stream_version integer NOT NULL,
    step_story     text,
    step_due_at    timestamptz,
    CONSTRAINT hk_subscribers_pkey PRIMARY KEY (tenant_id, magazine_id, email)
);

-- Recipient pages by status in email order, and counts per status and per domain, all from one index (the
-- domain rides along, so the counts are index-only scans). A status change rewrites the row into every index
-- of the table; a second secondary index cost every error stop and unsubscribe one more index insert.
-- (Earlier schemas had hk_subscribers_by_status without the domain and a separate hk_subscribers_by_domain.)
CREATE INDEX IF NOT EXISTS hk_subscribers_by_status_domain ON hk_subscribers (tenant_id, magazine_id, status, email) INCLUDE (domain);
DROP INDEX IF EXISTS hk_subscribers_by_status;
DROP INDEX IF EXISTS hk_subscribers_by_domain;

-- Step mail: each reader's next story and when it is due, written with the reader's events; the magazine's step
-- scheduler reads what is due from this partial index (readers owed nothing are not in it).
ALTER TABLE hk_subscribers ADD COLUMN IF NOT EXISTS step_story text;
ALTER TABLE hk_subscribers ADD COLUMN IF NOT EXISTS step_due_at timestamptz;
CREATE INDEX IF NOT EXISTS hk_subscribers_step_due ON hk_subscribers (tenant_id, magazine_id, step_due_at, email) WHERE step_due_at IS NOT NULL;

-- How far each catch-up reader of the log got (a projection rebuild resumes from here after a restart).
CREATE TABLE IF NOT EXISTS hk_checkpoints (
    name     text PRIMARY KEY,
    position bigint NOT NULL
);
