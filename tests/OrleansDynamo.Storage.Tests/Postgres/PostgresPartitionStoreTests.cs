using Npgsql;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage.Postgres;

namespace OrleansDynamo.Storage.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartitionStoreTests(PostgresFixture postgres) : PartitionStoreConformance, IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> _dataSources = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources) await dataSource.DisposeAsync();
    }

    protected override async Task<IPartitionStore> CreateStoreAsync() => NewStore(await DatabaseAsync());

    /// <summary>A restart: a new store with its own connection pool on the same database.</summary>
    protected override async Task<IPartitionStore> ReopenAsync(IPartitionStore store) => NewStore(await DatabaseAsync());

    private PostgresPartitionStore NewStore(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        _dataSources.Add(dataSource);
        return new PostgresPartitionStore(dataSource);
    }

    // Every conformance test works on partitions of its own (a new incarnation), so the class shares a database.
    private Task<string> DatabaseAsync() => postgres.SharedMigratedDatabaseAsync("partition_store");

    private static ItemWrite Put(string pk) =>
        new(KeyBytes.StoreKey(AttributeValue.FromS(pk), null), new Item([KeyValuePair.Create("pk", AttributeValue.FromS(pk))]));

    [Fact]
    public async Task Deleting_a_partition_fences_the_epoch_it_had()
    {
        var store = await CreateStoreAsync();
        var partition = new PartitionAddress("tbl", Guid.NewGuid().ToString("D"), 0);
        var epoch = (await store.OpenAsync(partition)).Epoch;
        await store.CommitAsync(partition, epoch, [Put("a")]);

        await store.DeletePartitionAsync(partition);

        await Assert.ThrowsAsync<StaleEpochException>(() => store.CommitAsync(partition, epoch, [Put("b")]));
        Assert.Empty((await store.OpenAsync(partition)).Items);
    }

    [Fact]
    public async Task Concurrent_commits_of_one_epoch_all_land()
    {
        var store = await CreateStoreAsync();
        var partition = new PartitionAddress("tbl", Guid.NewGuid().ToString("D"), 0);
        var epoch = (await store.OpenAsync(partition)).Epoch;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.CommitAsync(partition, epoch, [Put($"k{i}")])));

        Assert.Equal(20, (await (await ReopenAsync(store)).OpenAsync(partition)).Items.Count);
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_a_storage_exception_not_an_Npgsql_one()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(await DatabaseAsync()) { Port = UnusedPort(), Timeout = 2 }.ConnectionString;
        var store = NewStore(unreachable);

        var error = await Assert.ThrowsAsync<PostgresStorageException>(() => store.OpenAsync(new PartitionAddress("tbl", "x", 0)));
        Assert.DoesNotContain("Npgsql", error.GetType().FullName);
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
