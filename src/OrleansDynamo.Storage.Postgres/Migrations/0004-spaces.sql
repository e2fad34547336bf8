-- The storage layout of December 2026: partitions read items from the store instead of loading them.
-- Data lives in spaces (StoreSpace.Name: "table/incarnation" or "table/incarnation#index"); a partition
-- is a hash range of its space, so a split rewrites the space's map and moves no rows.
--
-- The tables of 0001 (odyn_item, odyn_partition) stay: PostgresLegacyMigration converts their rows into
-- these tables at silo start and then deletes them.
--
-- Space names and keys compare bytewise: text COLLATE "C" and bytea (whose order is unsigned memcmp,
-- shorter first on a tie), which is the order the store's keys are built for (StoreKeys).

-- One row per space that has a partition map: StoreCodec.EncodeMap (version, next partition id, ranges).
CREATE TABLE odyn_space (
    space text  COLLATE "C" NOT NULL,
    map   bytea NOT NULL,
    CONSTRAINT odyn_space_pk PRIMARY KEY (space)
);

-- One row per opened partition. The epoch fences partition activations: every commit is conditional on
-- it, opening the partition increments it, and a split of the partition increments it with the map.
-- No foreign key to odyn_space: a partition may be opened before its space has a map (its range is then null).
CREATE TABLE odyn_epoch (
    space        text    COLLATE "C" NOT NULL,
    partition_id integer NOT NULL,
    epoch        bigint  NOT NULL,
    CONSTRAINT odyn_epoch_pk PRIMARY KEY (space, partition_id)
);

-- Every record of every space: kind is the RecordKind (items, index entries, statistics, ...), key the
-- store key. The primary key is the only index: a point read is one probe and a range read (a Query or
-- Scan page) one index range scan: space = $1 AND kind = $2 AND key >= $3 AND key < $4 ORDER BY key LIMIT n.
CREATE TABLE odyn_record (
    space text     COLLATE "C" NOT NULL,
    kind  smallint NOT NULL,
    key   bytea    NOT NULL,
    value bytea    NOT NULL,
    CONSTRAINT odyn_record_pk PRIMARY KEY (space, kind, key)
);
