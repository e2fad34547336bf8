using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>
/// One ordered key space in the store: the items (and their internal records) of one table incarnation,
/// or the entries of one global secondary index of it. Partitions are contiguous hash ranges of a space,
/// so a split changes the space's partition map and moves no data.
/// </summary>
public sealed record StoreSpace(string TableName, string Incarnation, string? IndexId = null)
{
    /// <summary>The space's name in the store: <c>table/incarnation</c>, or <c>table/incarnation#index</c>.</summary>
    public string Name => IndexId is null ? $"{TableName}/{Incarnation}" : $"{TableName}/{Incarnation}#{IndexId}";

    public override string ToString() => Name;

    public static StoreSpace Parse(string name)
    {
        var slash = name.IndexOf('/');
        var hash = name.IndexOf('#', slash + 1);
        return hash < 0
            ? new StoreSpace(name[..slash], name[(slash + 1)..])
            : new StoreSpace(name[..slash], name[(slash + 1)..hash], name[(hash + 1)..]);
    }
}

/// <summary>
/// The namespaces of a space. User items and every internal record live in namespaces of their own, so
/// no attribute name or key a user chooses can be taken for an internal record.
/// </summary>
public enum RecordKind : byte
{
    /// <summary>Items by <see cref="StoreKeys.Item"/>: hash, partition key, sort key.</summary>
    Item = 1,
    /// <summary>Local secondary index entries: index, hash, partition key, index sort key, table sort key.</summary>
    LocalIndexEntry = 2,
    /// <summary>Global index changes committed with their item and not yet delivered, by item key.</summary>
    Outbox = 3,
    /// <summary>Item count and bytes (and local index entry counts and bytes) per hash bucket.</summary>
    Stats = 4,
    /// <summary>The size of each item collection (items sharing a partition key) of a table with local indexes.</summary>
    CollectionSize = 5,
    /// <summary>Bookkeeping of a partition: backfill positions and the like.</summary>
    Meta = 6,
    /// <summary>Global index entries in index order: index hash, index keys, table keys.</summary>
    IndexEntry = 7,
    /// <summary>For each (index hash, item) the key of its entry in <see cref="IndexEntry"/> and the change sequence.</summary>
    IndexReference = 8,
    /// <summary>Transaction intents by item key: the transaction holding the item and the value it will write, its anchor (<c>TransactionIntents</c>).</summary>
    Intent = 9,
    /// <summary>Commit records and abort marks of transactions anchored here, by anchor hash and transaction id (<c>TransactionRecords</c>).</summary>
    TransactionRecord = 10,
    /// <summary>ClientRequestTokens of transactions anchored here, by anchor hash and token, kept 10 minutes (<c>TransactionRecords</c>).</summary>
    TransactionToken = 11,
    /// <summary>Stream change records, by shard number and sequence number (<c>ChangeLog</c>), kept 24 hours.</summary>
    StreamRecord = 12,
    /// <summary>Stream shards, by shard number (partition id, then the partition's shard count): label, range, parent, end (<c>ChangeLog</c>).</summary>
    StreamShard = 13,
    /// <summary>Time-to-live entries by TTL generation, expiry second and item key; the value is the item's key attributes (<c>ExpiryIndex</c>).</summary>
    Expiry = 14,
    /// <summary>
    /// Point-in-time recovery: for each change of an item, the image it replaced, by item key and commit time
    /// (<c>RecoveryLog</c>); kept for the table's recovery period.
    /// </summary>
    Recovery = 15,
}

/// <summary>One record write of a commit: <see cref="Value"/> null deletes the record.</summary>
public readonly record struct StoreWrite(RecordKind Kind, byte[] Key, byte[]? Value);

public readonly record struct StoreRecord(byte[] Key, byte[] Value);

/// <summary>A space's partition map as stored, with the id the next split hands out.</summary>
public sealed record StoredMap(PartitionMap Map, int NextPartitionId);

/// <summary>What a partition activation starts from: its fencing epoch, and its range (null: not in the map).</summary>
public sealed record PartitionOpening(long Epoch, PartitionRange? Range, long MapVersion);

/// <summary>The result of a split: the new map, the parent's new epoch, and the child's id.</summary>
public sealed record SplitOutcome(PartitionMap Map, long ParentEpoch, int ChildId);

/// <summary>
/// Where items live. The store is the source of truth: partitions read through it (point and ordered
/// range reads) and write to it in atomic, durable, epoch-fenced commits.
/// <para>The fencing rule: a partition's range and epoch are kept in the store next to its records. Opening
/// a partition takes a new epoch; a split changes the map and takes a new epoch for the parent in one
/// atomic step. A commit is applied only under the partition's current epoch, so every write that is
/// accepted was decided by the newest activation, knowing the partition's current range.</para>
/// Implementations: memory (tests, <c>--in-memory</c>), embedded RocksDB, PostgreSQL.
/// </summary>
public interface IPartitionStore
{
    /// <summary>The space's map, creating it as <paramref name="initial"/> when the space has none yet.</summary>
    Task<StoredMap> EnsureMapAsync(StoreSpace space, PartitionMap initial, CancellationToken cancellationToken = default);

    /// <summary>The space's map, or null when it has none.</summary>
    Task<StoredMap?> ReadMapAsync(StoreSpace space, CancellationToken cancellationToken = default);

    /// <summary>
    /// Splits partition <paramref name="parentId"/> at <paramref name="splitAt"/> if <paramref name="parentEpoch"/>
    /// is still its epoch: the upper part goes to a new partition, and the parent's epoch advances, in one
    /// atomic step. Throws <see cref="StaleEpochException"/> otherwise and changes nothing.
    /// </summary>
    Task<SplitOutcome> SplitAsync(StoreSpace space, int parentId, long parentEpoch, ulong splitAt, CancellationToken cancellationToken = default);

    /// <summary>Starts a new activation of a partition: takes its next epoch and reads its range from the map.</summary>
    Task<PartitionOpening> OpenAsync(StoreSpace space, int partitionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the writes atomically and durably if <paramref name="epoch"/> is still the partition's
    /// epoch; otherwise throws <see cref="StaleEpochException"/> and applies nothing.
    /// </summary>
    Task CommitAsync(StoreSpace space, int partitionId, long epoch, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>One record's value, or null.</summary>
    ValueTask<byte[]?> GetAsync(StoreSpace space, RecordKind kind, byte[] key, CancellationToken cancellationToken = default);

    /// <summary>Several records' values, in the order of <paramref name="keys"/> (null where absent).</summary>
    ValueTask<byte[]?[]> GetManyAsync(StoreSpace space, RecordKind kind, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> records with keys in [<paramref name="from"/>, <paramref name="to"/>),
    /// in key order, or in reverse order when <paramref name="forward"/> is false; <paramref name="to"/> null
    /// means the end of the namespace.
    /// </summary>
    ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>Every space that has a map: what a cleaner walks to find data of dropped tables and indexes.</summary>
    Task<IReadOnlyList<StoreSpace>> ListSpacesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes everything of a space: records, map and epochs.</summary>
    Task DeleteSpaceAsync(StoreSpace space, CancellationToken cancellationToken = default);

    /// <summary>
    /// A read-only view of the store at one instant: every commit before it, none after, across all partitions of
    /// <paramref name="spaces"/> (the embedded and PostgreSQL stores see every space at that instant). Backups and
    /// exports read through it while writes go on; dispose it to release what it holds.
    /// </summary>
    Task<IStoreSnapshot> OpenSnapshotAsync(IReadOnlyList<StoreSpace> spaces, CancellationToken cancellationToken = default);
}

/// <summary>One instant of the store (<see cref="IPartitionStore.OpenSnapshotAsync"/>), read in key order.</summary>
public interface IStoreSnapshot : IAsyncDisposable
{
    /// <summary>Up to <paramref name="limit"/> records with keys in [<paramref name="from"/>, <paramref name="to"/>), in key order, as of the snapshot.</summary>
    ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, int limit,
        CancellationToken cancellationToken = default);
}

/// <summary>A newer activation of the partition has opened it, or its range changed; this one must stop writing.</summary>
public sealed class StaleEpochException(StoreSpace space, int partitionId, long epoch)
    : Exception($"Partition {partitionId} of {space} has a newer epoch than {epoch}");
