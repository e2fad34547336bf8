using OrleansDynamo.Storage.Embedded;

namespace OrleansDynamo.Storage.Tests;

/// <summary>The conformance suite on the embedded RocksDB store; a reopen closes the database and opens its folder again.</summary>
public sealed class EmbeddedPartitionStoreTests : PartitionStoreConformance, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odyn-store-" + Guid.NewGuid().ToString("N"));
    private EmbeddedDatabase? _database;

    protected override Task<IPartitionStore> CreateStoreAsync()
    {
        _database = new EmbeddedDatabase(_directory);
        return Task.FromResult<IPartitionStore>(new EmbeddedPartitionStore(_database));
    }

    protected override Task<IPartitionStore> ReopenAsync(IPartitionStore store)
    {
        _database!.Dispose();
        return CreateStoreAsync();
    }

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
