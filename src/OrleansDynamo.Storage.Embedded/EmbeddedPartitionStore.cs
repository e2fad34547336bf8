using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using OrleansDynamo.Model;
using RocksDbSharp;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// Partitions in the embedded RocksDB database: one key per item (<c>i|table|incarnation|id\0</c> + item key),
/// one key per partition for its fencing epoch (<c>e|table|incarnation|id</c>). Commits are synced WriteBatches.
/// </summary>
public sealed class EmbeddedPartitionStore(EmbeddedDatabase database) : IPartitionStore
{
    // This process is the database's only writer, so the epoch check can use a lock per partition.
    private readonly ConcurrentDictionary<PartitionAddress, object> _locks = new();

    private RocksDb Db => database.Db;

    public Task<PartitionLoad> OpenAsync(PartitionAddress partition, CancellationToken cancellationToken = default)
    {
        lock (Lock(partition))
        {
            var epochKey = EpochKey(partition);
            var stored = Db.Get(epochKey);
            var epoch = (stored is null ? 0 : BinaryPrimitives.ReadInt64BigEndian(stored)) + 1;
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, epoch);
            Db.Put(epochKey, bytes, writeOptions: database.SyncWrite);
            return Task.FromResult(new PartitionLoad(epoch, LoadItems(partition)));
        }
    }

    private List<Item> LoadItems(PartitionAddress partition)
    {
        var prefix = ItemPrefix(partition);
        var items = new List<Item>();
        using var iterator = Db.NewIterator();
        for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(prefix)) break;
            items.Add(ItemCodec.Decode(iterator.GetValueSpan()));
        }
        return items;
    }

    /// <remarks>
    /// The synced write runs off the caller's thread: a partition grain keeps taking requests during the
    /// fsync, and those gather into its next commit. Blocking the grain would make every batch one write.
    /// </remarks>
    public Task CommitAsync(PartitionAddress partition, long epoch, IReadOnlyList<ItemWrite> writes, CancellationToken cancellationToken = default) =>
        Task.Run(() => Commit(partition, epoch, writes), cancellationToken);

    private void Commit(PartitionAddress partition, long epoch, IReadOnlyList<ItemWrite> writes)
    {
        var prefix = ItemPrefix(partition);
        using var batch = new WriteBatch();
        foreach (var write in writes)
        {
            var key = Concat(prefix, write.Key);
            if (write.Item is null) batch.Delete(key);
            else batch.Put(key, ItemCodec.Encode(write.Item));
        }
        lock (Lock(partition))
        {
            var stored = Db.Get(EpochKey(partition));
            if (stored is null || BinaryPrimitives.ReadInt64BigEndian(stored) != epoch)
                throw new StaleEpochException(partition, epoch);
            Db.Write(batch, database.SyncWrite);
        }
    }

    public Task DeletePartitionAsync(PartitionAddress partition, CancellationToken cancellationToken = default)
    {
        var prefix = ItemPrefix(partition);
        var end = (byte[])prefix.Clone();
        end[^1]++; // The prefix ends with \0: bumping it gives the first key after every item of the partition.
        lock (Lock(partition))
        {
            using var batch = new WriteBatch();
            batch.DeleteRange(prefix, (ulong)prefix.Length, end, (ulong)end.Length);
            batch.Delete(EpochKey(partition));
            Db.Write(batch, database.SyncWrite);
        }
        return Task.CompletedTask;
    }

    private object Lock(PartitionAddress partition) => _locks.GetOrAdd(partition, _ => new object());

    private static byte[] ItemPrefix(PartitionAddress p) => Encoding.UTF8.GetBytes($"i|{p.TableName}|{p.Incarnation}|{p.PartitionId}\0");
    private static byte[] EpochKey(PartitionAddress p) => Encoding.UTF8.GetBytes($"e|{p.TableName}|{p.Incarnation}|{p.PartitionId}");

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }
}
