-- Items of OrleansDynamo tables, one row per item (DESIGN.md, "Storage").

-- One row per opened partition. The epoch fences partition activations: every commit is
-- conditional on it, and opening the partition again increments it.
CREATE TABLE odyn_partition (
    table_name   text    NOT NULL,
    incarnation  text    NOT NULL,
    partition_id integer NOT NULL,
    epoch        bigint  NOT NULL,
    CONSTRAINT odyn_partition_pk PRIMARY KEY (table_name, incarnation, partition_id)
);

-- item_key is the store key (KeyBytes.StoreKey); item is the ItemCodec encoding.
CREATE TABLE odyn_item (
    table_name   text    NOT NULL,
    incarnation  text    NOT NULL,
    partition_id integer NOT NULL,
    item_key     bytea   NOT NULL,
    item         bytea   NOT NULL,
    CONSTRAINT odyn_item_pk PRIMARY KEY (table_name, incarnation, partition_id, item_key)
);
