-- Hikyaku's schema for the Orleans 10.4.2 ADO.NET providers on PostgreSQL 15+:
-- clustering (membership), grain storage and reminders.
--
-- The providers read their SQL at start-up from OrleansQuery (QueryKey -> QueryText) and bind
-- @-named parameters. Keys, parameters and result columns were taken from the 10.4.2 assemblies
-- (Orleans.*.AdoNet: DbStoredQueries, RelationalOrleansQueries, AdoNetGrainStorage); the SQL is ours.
-- Idempotent: every statement may run again (PostgresOrleansSchema runs it under an advisory lock).
--
-- Times are timestamptz: the providers bind DateTime with DbType.DateTime, which Npgsql sends as
-- timestamptz (the reminder provider even converts Kind=Unspecified to Utc before binding).

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- ---------------------------------------------------------------- clustering
-- One version row per cluster: every membership write bumps it, and a write with a stale
-- version must change nothing (the membership protocol's optimistic concurrency).
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL,
    SuspectTimes text         NULL,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Insert a silo row only if the table version is still @Version; bump the version in the same
-- transaction. A duplicate row rolls back the version bump (the EXCEPTION block is a subtransaction).
CREATE OR REPLACE FUNCTION hikyaku_orleans_insert_member(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS
$fn$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1, Timestamp = now()
     WHERE DeploymentId = p_deployment_id AND Version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
         p_start_time, p_i_am_alive_time);
    RETURN true;
EXCEPTION WHEN unique_violation THEN
    RETURN false;
END
$fn$;

-- Update a silo row only if the table version is still @Version; a missing row undoes the bump.
CREATE OR REPLACE FUNCTION hikyaku_orleans_update_member(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS
$fn$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1, Timestamp = now()
     WHERE DeploymentId = p_deployment_id AND Version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    UPDATE OrleansMembershipTable
       SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
     WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port AND Generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';
    END IF;
    RETURN true;
EXCEPTION WHEN no_data_found THEN
    RETURN false;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- Returns one boolean: whether the cluster's version row was created by this call.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM created)
$q$),
('InsertMembershipKey', $q$
SELECT hikyaku_orleans_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),
('UpdateMembershipKey', $q$
SELECT hikyaku_orleans_update_member(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
    @IAmAliveTime, @Version)
$q$),
-- Heartbeats do not bump the table version (the provider never checks their result).
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
 WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),
-- Both reads return the version row even when no silo matches (StartTime NULL = "no member"):
-- the provider takes the table version from the first row.
('MembershipReadRowKey', $q$
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m
    ON m.DeploymentId = v.DeploymentId
   AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
 WHERE v.DeploymentId = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
 WHERE v.DeploymentId = @DeploymentId
$q$),
-- @Status is SiloStatus.Active (3); a silo without a gateway has ProxyPort 0.
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
  FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$),
-- The silo rows go with their version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$q$),
-- Fallback cleanup of Dead (6) silos, used only when CleanupDefunctSiloEntryKey is absent.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId AND Status = 6
   AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
   AND SuspectTimes IS NULL
$q$),
-- Optional in 10.4.2: deletes one Dead row the provider has judged defunct, only if it is still
-- exactly the row it read (no heartbeat, restart or new suspicion in between).
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId AND Status = 6
   AND Address = @Address AND Port = @Port AND Generation = @Generation
   AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
   AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- ---------------------------------------------------------------- grain storage
-- One row per (service, grain type, grain id). The provider hashes the grain id and type to ints
-- (GrainIdHash, GrainTypeHash) for the index; the other key columns make the match exact.
-- Version is the ETag: a write or clear with a stale @GrainStateVersion returns no row, which the
-- provider reports as InconsistentStateException.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL
);

-- NULLS NOT DISTINCT (PostgreSQL 15): a grain without a key extension still has exactly one row.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
    NULLS NOT DISTINCT;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
  FROM OrleansStorage
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),
-- First write (@GrainStateVersion NULL) inserts version 1; later writes need the current version.
-- Returns NewGrainStateVersion, or no row on a version conflict.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage
       SET PayloadBinary = @PayloadBinary, Version = Version + 1, ModifiedOn = now()
     WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND Version = @GrainStateVersion
    RETURNING Version),
inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
           @ServiceId, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM inserted
$q$),
-- ClearStateAsync with DeleteStateOnClear = false: keep the row, drop the payload, bump the version.
('ClearStorageKey', $q$
UPDATE OrleansStorage
   SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
   AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion
$q$),
-- ClearStateAsync with DeleteStateOnClear = true: the provider needs a value unlike the old ETag.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
   AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- ---------------------------------------------------------------- reminders
-- GrainHash is GrainId.GetUniformHashCode() cast to int: the provider picks ReadRangeRows1Key when
-- (int)begin < (int)end and ReadRangeRows2Key (the wrapped range) otherwise, both as (begin, end].
-- Period is milliseconds (bound as int or, beyond int range, bigint; read back with GetInt64).
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS ix_orleansreminders_hash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),
-- Returns the new Version, which becomes the reminder's ETag.
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
   SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
       Version = OrleansRemindersTable.Version + 1
RETURNING Version
$q$),
-- Returns one boolean: false when the row is gone or its ETag (@Version) is stale.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
       AND Version = @Version
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$),
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
