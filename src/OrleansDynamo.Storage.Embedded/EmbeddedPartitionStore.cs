using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansDynamo.Model;
using RocksDbSharp;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// Spaces in the embedded RocksDB database: <c>R|space\0</c> + kind + key per record, <c>M|space</c> for the
/// partition map, <c>E|space\0</c> + partition id for each partition's epoch. Every change goes through the
/// database's one writer (<see cref="EmbeddedWriter"/>): commits of all partitions share synced WriteBatches,
/// and a split is one WriteBatch (map and parent epoch together).
/// </summary>
public sealed partial class EmbeddedPartitionStore : IPartitionStore
{
    private readonly EmbeddedDatabase _database;

    public EmbeddedPartitionStore(EmbeddedDatabase database, ILogger<EmbeddedPartitionStore>? logger = null)
    {
        _database = database;
        EmbeddedLegacyMigration.Run(database, logger ?? NullLogger<EmbeddedPartitionStore>.Instance);
    }

    private RocksDb Db => _database.Db;

    public Task<StoredMap> EnsureMapAsync(StoreSpace space, PartitionMap initial, CancellationToken cancellationToken = default) =>
        _database.Writer.RunAloneAsync(() =>
        {
            if (ReadMap(space) is { } stored) return stored;
            var created = StoreCodec.Initial(initial);
            Db.Put(MapKey(space), StoreCodec.EncodeMap(created), writeOptions: _database.SyncWrite);
            return created;
        });

    public Task<StoredMap?> ReadMapAsync(StoreSpace space, CancellationToken cancellationToken = default) => Task.FromResult(ReadMap(space));

    private StoredMap? ReadMap(StoreSpace space) => Db.Get(MapKey(space)) is { } bytes ? StoreCodec.DecodeMap(bytes) : null;

    public Task<SplitOutcome> SplitAsync(StoreSpace space, int parentId, long parentEpoch, ulong splitAt, CancellationToken cancellationToken = default) =>
        _database.Writer.RunAloneAsync(() =>
        {
            if (ReadMap(space) is not { } stored || parentEpoch <= 0 || ReadEpoch(space, parentId) != parentEpoch) throw new StaleEpochException(space, parentId, parentEpoch);
            var split = StoreCodec.Split(stored, parentId, splitAt);
            using var batch = new WriteBatch();
            batch.Put(MapKey(space), StoreCodec.EncodeMap(split));
            batch.Put(EpochKey(space, parentId), EncodeEpoch(parentEpoch + 1));
            Db.Write(batch, _database.SyncWrite);
            return new SplitOutcome(split.Map, parentEpoch + 1, split.NextPartitionId - 1);
        });

    public Task<PartitionOpening> OpenAsync(StoreSpace space, int partitionId, CancellationToken cancellationToken = default) =>
        _database.Writer.RunAloneAsync(() =>
        {
            var map = ReadMap(space);
            // A partition that is not in the map (a dropped table's, say) takes no epoch: nothing is left behind.
            if (map?.Map.Ranges.FirstOrDefault(r => r.PartitionId == partitionId) is not { } range)
                return new PartitionOpening(ReadEpoch(space, partitionId), null, map?.Map.Version ?? 0);
            var epoch = ReadEpoch(space, partitionId) + 1;
            Db.Put(EpochKey(space, partitionId), EncodeEpoch(epoch), writeOptions: _database.SyncWrite);
            return new PartitionOpening(epoch, range, map.Map.Version);
        });

    /// <remarks>
    /// Keys are encoded on the caller's thread; the writer checks the epoch and writes the records with every
    /// other partition's that arrive meanwhile. The grain keeps taking requests during the fsync, and those
    /// gather into its next commit.
    /// </remarks>
    public Task CommitAsync(StoreSpace space, int partitionId, long epoch, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        var prefix = RecordPrefix(space);
        var records = new List<(byte[] Key, byte[]? Value)>(writes.Count);
        foreach (var write in writes) records.Add((RecordKey(prefix, write.Kind, write.Key), write.Value));
        return _database.Writer.CommitAsync(new EmbeddedWriter.Commit(space, partitionId, epoch, EpochKey(space, partitionId), records));
    }

    /// <remarks>Point and range reads run on the caller's thread: they are served from memory or one block read, cheaper than a thread hop.</remarks>
    public ValueTask<byte[]?> GetAsync(StoreSpace space, RecordKind kind, byte[] key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<byte[]?>(Db.Get(RecordKey(RecordPrefix(space), kind, key)));

    public ValueTask<byte[]?[]> GetManyAsync(StoreSpace space, RecordKind kind, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        var prefix = RecordPrefix(space);
        var values = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++) values[i] = Db.Get(RecordKey(prefix, kind, keys[i]));
        return ValueTask.FromResult(values);
    }

    /// <remarks>
    /// Bounds are checked here rather than set on ReadOptions: a Query page is a handful of records, and
    /// per-call native read options (with their finalizers) would cost more than reading them.
    /// </remarks>
    public ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit,
        CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReadRange(space, kind, from, to, forward, limit, null));

    private IReadOnlyList<StoreRecord> ReadRange(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit, ReadOptions? readOptions)
    {
        var kindPrefix = RecordKey(RecordPrefix(space), kind, []);
        var lower = Concat(kindPrefix, from);
        var upper = to is null ? OrleansDynamo.Keys.OrderedKeyEncoding.PrefixEnd(kindPrefix)! : Concat(kindPrefix, to);
        var result = new List<StoreRecord>(Math.Min(limit, 256));
        if (limit <= 0 || lower.AsSpan().SequenceCompareTo(upper) >= 0) return result;
        using var iterator = Db.NewIterator(readOptions: readOptions);
        if (forward) iterator.Seek(lower);
        else
        {
            // The last key below the exclusive upper bound.
            iterator.SeekForPrev(upper);
            if (iterator.Valid() && iterator.GetKeySpan().SequenceCompareTo(upper) >= 0) iterator.Prev();
        }
        while (iterator.Valid() && result.Count < limit)
        {
            var key = iterator.GetKeySpan();
            if (forward ? key.SequenceCompareTo(upper) >= 0 : key.SequenceCompareTo(lower) < 0) break;
            result.Add(new StoreRecord(key[kindPrefix.Length..].ToArray(), iterator.Value()));
            if (forward) iterator.Next();
            else iterator.Prev();
        }
        return result;
    }

    /// <summary>A RocksDB snapshot: one sequence number of the whole database, so every space at one instant.</summary>
    public Task<IStoreSnapshot> OpenSnapshotAsync(IReadOnlyList<StoreSpace> spaces, CancellationToken cancellationToken = default) =>
        Task.FromResult<IStoreSnapshot>(new Snapshot(this, Db.CreateSnapshot()));

    private sealed class Snapshot(EmbeddedPartitionStore store, RocksDbSharp.Snapshot snapshot) : IStoreSnapshot
    {
        private readonly ReadOptions _readOptions = new ReadOptions().SetSnapshot(snapshot);

        // Reads of a snapshot are long scans: off the caller's thread, unlike a partition's short reads.
        public ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, int limit,
            CancellationToken cancellationToken = default) =>
            new(Task.Run(() => store.ReadRange(space, kind, from, to, forward: true, limit, _readOptions), cancellationToken));

        public ValueTask DisposeAsync()
        {
            snapshot.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public Task<IReadOnlyList<StoreSpace>> ListSpacesAsync(CancellationToken cancellationToken = default)
    {
        var prefix = "M|"u8.ToArray();
        var spaces = new List<StoreSpace>();
        var readOptions = new ReadOptions().SetIterateUpperBound("M}"u8.ToArray());
        using var iterator = Db.NewIterator(readOptions: readOptions);
        for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
            spaces.Add(StoreSpace.Parse(Encoding.UTF8.GetString(iterator.GetKeySpan()[prefix.Length..])));
        return Task.FromResult<IReadOnlyList<StoreSpace>>(spaces);
    }

    public Task DeleteSpaceAsync(StoreSpace space, CancellationToken cancellationToken = default) =>
        _database.Writer.RunAloneAsync(() =>
        {
            using var batch = new WriteBatch();
            var records = RecordPrefix(space);
            var epochs = EpochPrefix(space);
            batch.DeleteRange(records, (ulong)records.Length, OrleansDynamo.Keys.OrderedKeyEncoding.PrefixEnd(records)!, (ulong)records.Length);
            batch.DeleteRange(epochs, (ulong)epochs.Length, OrleansDynamo.Keys.OrderedKeyEncoding.PrefixEnd(epochs)!, (ulong)epochs.Length);
            batch.Delete(MapKey(space));
            Db.Write(batch, _database.SyncWrite);
            return true;
        });

    private long ReadEpoch(StoreSpace space, int partitionId) =>
        Db.Get(EpochKey(space, partitionId)) is { } stored ? BinaryPrimitives.ReadInt64BigEndian(stored) : 0;

    private static byte[] EncodeEpoch(long epoch)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, epoch);
        return bytes;
    }

    private static byte[] MapKey(StoreSpace space) => Encoding.UTF8.GetBytes($"M|{space.Name}");
    private static byte[] EpochPrefix(StoreSpace space) => Encoding.UTF8.GetBytes($"E|{space.Name}\0");
    internal static byte[] RecordPrefix(StoreSpace space) => Encoding.UTF8.GetBytes($"R|{space.Name}\0");

    private static byte[] EpochKey(StoreSpace space, int partitionId)
    {
        var prefix = EpochPrefix(space);
        var key = new byte[prefix.Length + 4];
        prefix.CopyTo(key, 0);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(prefix.Length), partitionId);
        return key;
    }

    internal static byte[] RecordKey(byte[] spacePrefix, RecordKind kind, ReadOnlySpan<byte> key)
    {
        var result = new byte[spacePrefix.Length + 1 + key.Length];
        spacePrefix.CopyTo(result, 0);
        result[spacePrefix.Length] = (byte)kind;
        key.CopyTo(result.AsSpan(spacePrefix.Length + 1));
        return result;
    }

    internal static byte[] MapKeyOf(StoreSpace space) => MapKey(space);

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }
}
