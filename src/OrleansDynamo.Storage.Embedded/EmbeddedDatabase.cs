using RocksDbSharp;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// The one RocksDB database under the data directory, shared by the partition store and the metadata
/// grain storage. Keys start with a one-letter family ("i|" items, "e|" epochs, "g|" grain state).
/// </summary>
public sealed class EmbeddedDatabase : IDisposable
{
    public EmbeddedDatabase(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = Path.GetFullPath(directory);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCompression(Compression.Lz4);
        Db = RocksDb.Open(options, Directory);
        // Every acknowledged write is fsynced: a kill -9 or power loss must not lose it.
        SyncWrite = new WriteOptions().SetSync(true);
    }

    public string Directory { get; }
    public RocksDb Db { get; }
    public WriteOptions SyncWrite { get; }

    public void Dispose() => Db.Dispose();
}
