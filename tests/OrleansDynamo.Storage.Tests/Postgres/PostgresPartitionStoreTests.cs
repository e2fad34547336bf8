using Npgsql;
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

    // Every conformance test works in spaces of its own (a new incarnation), so the class shares a database.
    private Task<string> DatabaseAsync() => postgres.SharedMigratedDatabaseAsync("partition_store");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Commits_and_reads_go_on_when_PostgreSQL_ends_the_stores_connections(bool retrying)
    {
        var connectionString = await DatabaseAsync();
        var plain = NewStore(connectionString);
        IPartitionStore store = retrying ? new RetryingPartitionStore(plain) : plain;
        var space = new StoreSpace("tbl", Guid.NewGuid().ToString("D"));
        await store.EnsureMapAsync(space, PartitionMap.Even(1));
        var opening = await store.OpenAsync(space, 0);
        await store.CommitAsync(space, 0, opening.Epoch, [new StoreWrite(RecordKind.Item, [1], [1])]);

        // What pg_terminate_backend does to a server's pooled connections (as a failover or an operator would).
        await using (var admin = NpgsqlDataSource.Create(connectionString))
        await using (var terminate = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            Assert.True((long)(await terminate.ExecuteScalarAsync())! > 0);

        var commit = () => store.CommitAsync(space, 0, opening.Epoch, [new StoreWrite(RecordKind.Item, [2], [2])]);
        if (!retrying)
        {
            // The pool hands out a dead connection once: without retries, that commit fails.
            var failed = await Assert.ThrowsAsync<PostgresStorageException>(commit);
            Assert.True(failed.IsTransient);
            return;
        }
        await commit();
        var stored = await store.GetAsync(space, RecordKind.Item, [2]);
        Assert.Equal("02", Convert.ToHexString(stored ?? []));
    }

    [Fact]
    public async Task A_range_read_is_one_index_range_scan()
    {
        await using var dataSource = NpgsqlDataSource.Create(await DatabaseAsync());
        var plans = new List<string>();
        foreach (var order in new[] { "", " DESC" })
        {
            await using var command = dataSource.CreateCommand($"""
                EXPLAIN (COSTS OFF) SELECT key, value FROM odyn_record
                 WHERE space = 'tbl/x' AND kind = 1 AND key >= '\x00'::bytea AND key < '\x01'::bytea ORDER BY key{order} LIMIT 10
                """);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) plans.Add(reader.GetString(0));
        }
        Assert.All(plans.Where(p => p.Contains("Scan")), p => Assert.Contains("Index Scan", p));
        Assert.Contains(plans, p => p.Contains("Index Scan Backward using odyn_record_pk"));
        Assert.DoesNotContain(plans, p => p.Contains("Sort"));
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_a_storage_exception_not_an_Npgsql_one()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(await DatabaseAsync()) { Port = UnusedPort(), Timeout = 2 }.ConnectionString;
        var store = NewStore(unreachable);
        var space = new StoreSpace("tbl", "x");

        var error = await Assert.ThrowsAsync<PostgresStorageException>(() => store.OpenAsync(space, 0));
        Assert.DoesNotContain("Npgsql", error.GetType().FullName);
        await Assert.ThrowsAsync<PostgresStorageException>(async () => await store.ReadRangeAsync(space, RecordKind.Item, [], null, true, 10));
        await Assert.ThrowsAsync<PostgresStorageException>(() => store.CommitAsync(space, 0, 1, []));
        await Assert.ThrowsAsync<PostgresStorageException>(() => store.SplitAsync(space, 0, 1, 1UL << 63));
        await Assert.ThrowsAsync<PostgresStorageException>(() => store.EnsureMapAsync(space, PartitionMap.Even(1)));
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
