using RocksDbSharp;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// The one RocksDB database under the data directory, shared by the partition store and the metadata
/// grain storage. Keys start with a family letter: "R|" records, "M|" partition maps, "E|" epochs,
/// "g|" grain state ("i|" and "e|" are the first layout's items and epochs, converted on open).
/// </summary>
public sealed class EmbeddedDatabase : IDisposable
{
    /// <param name="directory">Where the database lives.</param>
    /// <param name="blockCacheBytes">RocksDB's block cache, index and filter blocks included: its share of the silo's cache budget.</param>
    public EmbeddedDatabase(string directory, long blockCacheBytes = 64L << 20)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = Path.GetFullPath(directory);
        // Index and filter blocks live in the block cache, so the database's read memory stays within its
        // budget whatever the data size; bloom filters let a point read of a missing key skip most files.
        var table = new BlockBasedTableOptions()
            .SetBlockCache(Cache.CreateLru((ulong)Math.Max(8L << 20, blockCacheBytes)))
            .SetCacheIndexAndFilterBlocks(true)
            .SetPinL0FilterAndIndexBlocksInCache(true)
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false));
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCompression(Compression.Lz4)
            .SetBlockBasedTableFactory(table)
            .SetWriteBufferSize(32UL << 20)
            .SetMaxWriteBufferNumber(3);
        Db = RocksDb.Open(options, Directory);
        // Every acknowledged write is fsynced: a kill -9 or power loss must not lose it.
        SyncWrite = new WriteOptions().SetSync(true);
        Writer = new EmbeddedWriter(Db, SyncWrite);
    }

    public string Directory { get; }
    public RocksDb Db { get; }
    public WriteOptions SyncWrite { get; }
    /// <summary>Where the partition store's writes go: see <see cref="EmbeddedWriter"/>.</summary>
    internal EmbeddedWriter Writer { get; }

    public void Dispose()
    {
        Writer.Dispose();
        Db.Dispose();
    }
}
