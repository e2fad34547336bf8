-- Cluster membership for Orleans' ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet), invariant "Npgsql".
-- https://learn.microsoft.com/dotnet/orleans/implementation/cluster-management
--
-- Parameters the provider passes: @DeploymentId text (the ClusterId), @Address text, @Port int,
-- @Generation int, @SiloName text, @HostName text, @Status int, @ProxyPort int, @SuspectTimes text,
-- @StartTime timestamptz, @IAmAliveTime timestamptz, @Version int.
-- Columns it reads by name: DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
-- ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version; queries answering success or failure
-- return one column (non-zero = success).

-- One row per cluster: its table version, the compare-and-swap token of every membership change.
CREATE TABLE orleans_membership_version (
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

-- One row per silo incarnation (address, port, generation) of a cluster.
CREATE TABLE orleans_membership (
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,  -- Orleans.Runtime.SiloStatus: 3 Active, 6 Dead
    proxy_port      integer     NOT NULL,  -- gateway port, 0 when the silo is no gateway
    suspect_times   text        NULL,      -- "silo,time|silo,time", written and parsed by Orleans
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_cluster FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE
);

-- Adds a silo's row if the caller saw the newest table version; 1 on success, 0 otherwise.
CREATE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $fn$
BEGIN
    -- Taking the version first also serialises all membership writers of the cluster on its row.
    UPDATE orleans_membership_version
       SET version = version + 1, updated_at = now()
     WHERE deployment_id = p_deployment_id AND version = p_version AND version < 2147483647;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
         NULL, p_start_time, p_i_am_alive_time);
    RETURN 1;
EXCEPTION WHEN unique_violation THEN
    -- The silo already has a row. Leaving the block rolls back the version increment too.
    RETURN 0;
END
$fn$;

-- Changes a silo's row if the caller saw the newest table version; 1 on success, 0 otherwise.
CREATE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleans_membership_version
       SET version = version + 1, updated_at = now()
     WHERE deployment_id = p_deployment_id AND version = p_version AND version < 2147483647;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    UPDATE orleans_membership
       SET status = p_status,
           suspect_times = p_suspect_times,
           -- Never move liveness backwards: a delayed write must not make a silo look older.
           i_am_alive_time = greatest(i_am_alive_time, p_i_am_alive_time)
     WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';
    END IF;
    RETURN 1;
EXCEPTION WHEN no_data_found THEN
    -- No such silo: undo the version increment.
    RETURN 0;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT DO NOTHING
 RETURNING 1
)
SELECT count(*)::integer FROM created
$sql$),
('InsertMembershipKey', $sql$
SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$sql$),
('UpdateMembershipKey', $sql$
SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                 @IAmAliveTime, @Version)
$sql$),
-- Heartbeat; not versioned, and its result is not read.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership
   SET i_am_alive_time = greatest(i_am_alive_time, @IAmAliveTime)
 WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$sql$),
-- The version row always comes back, with null silo columns when the silo has no row.
('MembershipReadRowKey', $sql$
SELECT v.deployment_id AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime",
       v.version AS "Version"
  FROM orleans_membership_version v
  LEFT JOIN orleans_membership m
         ON m.deployment_id = v.deployment_id
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
 WHERE v.deployment_id = @DeploymentId
$sql$),
('MembershipReadAllKey', $sql$
SELECT v.deployment_id AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime",
       v.version AS "Version"
  FROM orleans_membership_version v
  LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId
$sql$),
-- The silo rows go with their version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$sql$),
('GatewaysQueryKey', $sql$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
  FROM orleans_membership
 WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$sql$),
-- Removes one dead silo's row exactly as the provider last read it (the provider checked it is old enough),
-- so a row that changed since is kept.
('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
   AND status = 6
   AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
   AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$sql$),
-- The provider's fallback when CleanupDefunctSiloEntryKey is missing; kept for completeness.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId AND status = 6
   AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime
   AND coalesce(suspect_times, '') = ''
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
