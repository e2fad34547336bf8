-- Grain state for Orleans' ADO.NET grain storage (Microsoft.Orleans.Persistence.AdoNet), invariant "Npgsql".
--
-- The provider reads its SQL from OrleansQuery by key and runs it with these parameters:
--   all queries:   @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint, @GrainTypeHash int,
--                  @GrainTypeString text, @GrainIdExtensionString text (null unless the key has a string part),
--                  @ServiceId text
--   write, clear, delete: @GrainStateVersion int (null when the grain has never been stored)
--   write:         @PayloadBinary bytea
-- and reads these result columns: read -> PayloadBinary, Version; write -> NewGrainStateVersion;
-- clear and delete -> the first column, the new version. Answering the grain's own version (or nothing)
-- tells the provider that its write lost a race (InconsistentStateException).

-- Table and column names are fixed by the providers, which run "SELECT QueryKey, QueryText FROM OrleansQuery".
-- IF NOT EXISTS: a database may already have it from another Orleans ADO.NET provider.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

CREATE TABLE orleans_grain_state (
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_id_hash   integer     NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    grain_id_string text        NULL,
    payload         bytea       NULL,      -- null after a clear: the grain's state is its default again
    version         integer     NOT NULL,  -- the grain state's ETag
    modified_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per grain: a second activation's first write (version null) conflicts instead of duplicating.
-- A null and an empty string key extension are different grains.
CREATE UNIQUE INDEX orleans_grain_state_grain ON orleans_grain_state
    (service_id, grain_type, grain_id_n0, grain_id_n1, (grain_id_string IS NULL), (coalesce(grain_id_string, '')));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary", version AS "Version"
  FROM orleans_grain_state
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
   AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
$sql$),
-- Either updates the version the grain read, or inserts the first version if the grain read none.
-- Answers the new version; the old one (or null) when neither happened.
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary, version = version + 1, modified_at = now()
     WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
       AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND version = @GrainStateVersion
 RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state
        (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_string, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
 RETURNING version
)
SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS "NewGrainStateVersion"
$sql$),
('ClearStorageKey', $sql$
UPDATE orleans_grain_state
   SET payload = NULL, version = version + 1, modified_at = now()
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
   AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
   AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion"
$sql$),
-- Used instead of ClearStorageKey when the provider is configured with DeleteStateOnClear.
('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
   AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
   AND version = @GrainStateVersion
RETURNING version + 1 AS "NewGrainStateVersion"
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
