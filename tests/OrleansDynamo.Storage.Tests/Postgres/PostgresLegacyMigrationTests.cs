using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage.Postgres;

namespace OrleansDynamo.Storage.Tests.Postgres;

/// <summary>Items of the first layout (odyn_item, written by hand here in its key format) converted into spaces.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLegacyMigrationTests(PostgresFixture postgres)
{
    private static readonly StoreSpace Orders = new("orders", "inc-o");
    private static readonly StoreSpace Users = new("users", "inc-u");

    private sealed record OldRow(string Table, string Incarnation, int Partition, byte[] Key, byte[] Item);

    private sealed record OldItem(StoreSpace Space, int Partition, AttributeValue Pk, AttributeValue? Sk, Item Item)
    {
        public byte[] NewKey => StoreKeys.Item(KeyBytes.PartitionHash(Pk), Pk, Sk);
        public OldRow Row => new(Space.TableName, Space.Incarnation, Partition, KeyBytes.StoreKey(Pk, Sk), ItemCodec.Encode(Item));
    }

    /// <summary>2,500 orders (S partition key, N sort key) over 3 partitions, and 3 users (B partition key) in one.</summary>
    private static List<OldItem> OldItems()
    {
        var items = new List<OldItem>();
        for (var i = 0; i < 2500; i++)
        {
            var pk = AttributeValue.FromS($"customer{i % 400}");
            var sk = AttributeValue.FromN($"{i}.5");
            items.Add(new(Orders, i % 3, pk, sk, new Item([KeyValuePair.Create("c", pk), KeyValuePair.Create("n", sk), KeyValuePair.Create("v", AttributeValue.FromS(new string('x', i % 50)))])));
        }
        for (var i = 0; i < 3; i++)
        {
            var pk = AttributeValue.FromB([0, (byte)i, 255]);
            items.Add(new(Users, 0, pk, null, new Item([KeyValuePair.Create("id", pk)])));
        }
        return items;
    }

    /// <summary>What the conversion drops: an old global index partition's entry and an undelivered outbox record.</summary>
    private static IEnumerable<OldRow> DroppedRows() =>
    [
        new("orders", "inc-o#gsi1", 0, KeyBytes.StoreKey(AttributeValue.FromS("by-status"), AttributeValue.FromS("customer1")), ItemCodec.Encode(new Item([]))),
        new("orders", "inc-o", 1, [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3], [9, 9, 9]),
    ];

    [Fact]
    public async Task Old_items_convert_once_into_spaces_with_maps_statistics_and_markers()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("legacy"));
        var items = OldItems();
        await InsertOldRowsAsync(dataSource, items.Select(i => i.Row).Concat(DroppedRows()));
        await ExecuteAsync(dataSource, """
            INSERT INTO odyn_partition VALUES ('orders', 'inc-o', 0, 3), ('orders', 'inc-o', 1, 1), ('orders', 'inc-o', 2, 7),
                                              ('orders', 'inc-o#gsi1', 0, 2), ('users', 'inc-u', 0, 1)
            """);
        // As a run that crashed after some batches leaves it: records written, old rows still there.
        var store = new PostgresPartitionStore(dataSource);
        await ExecuteAsync(dataSource, "INSERT INTO odyn_record VALUES ('orders/inc-o', 1, @key, '\\x00'::bytea)",
            new NpgsqlParameter<byte[]>("key", items[7].NewKey));

        var log = new ListLogger();
        var converted = await new PostgresLegacyMigration(dataSource, log).RunAsync();

        Assert.Equal(new LegacyConversion(2503, 2), converted);
        var line = Assert.Single(log.Lines);
        Assert.Equal((LogLevel.Information, "Converted 2503 items of 2 tables to the storage layout of December 2026 (one-time migration)"), line);

        // Every item under its new key, with its old value; nothing else.
        foreach (var space in new[] { Orders, Users })
        {
            var ofSpace = items.Where(i => i.Space == space).ToList();
            var values = await store.GetManyAsync(space, RecordKind.Item, ofSpace.Select(i => i.NewKey).ToList());
            Assert.Equal(ofSpace.Select(i => ItemCodec.Encode(i.Item)), values);
            Assert.Equal(ofSpace.Count, (await store.ReadRangeAsync(space, RecordKind.Item, [], null, true, int.MaxValue)).Count);
        }
        Assert.Equal(2503L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM odyn_record WHERE kind = 1"));

        // An even map over as many partitions as the table had, statistics that add up, a marker per partition.
        var ordersMap = (await store.ReadMapAsync(Orders))!;
        Assert.Equal(PartitionMap.Even(3).Ranges, ordersMap.Map.Ranges);
        Assert.Equal(3, ordersMap.NextPartitionId);
        Assert.Equal(PartitionMap.Even(1).Ranges, (await store.ReadMapAsync(Users))!.Map.Ranges);
        foreach (var (space, partitions) in new[] { (Orders, 3), (Users, 1) })
        {
            var stats = (await store.ReadRangeAsync(space, RecordKind.Stats, [], null, true, int.MaxValue)).Select(r => StoreCodec.DecodeCounters(r.Value)).ToList();
            var ofSpace = items.Where(i => i.Space == space).ToList();
            Assert.Equal(ofSpace.Count, stats.Sum(s => s[0]));
            Assert.Equal(ofSpace.Sum(i => (long)i.Item.SizeInBytes), stats.Sum(s => s[1]));
            for (var id = 0; id < partitions; id++) Assert.NotNull(await store.GetAsync(space, RecordKind.Meta, LegacyLayout.RebuildMarker(id)));
        }
        Assert.Equal([Orders, Users], (await store.ListSpacesAsync()).OrderBy(s => s.Name, StringComparer.Ordinal));

        // The old rows are gone, and a second run finds nothing and says nothing.
        Assert.Equal(0L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM odyn_item"));
        Assert.Equal(0L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM odyn_partition"));
        var again = new ListLogger();
        Assert.Null(await new PostgresLegacyMigration(dataSource, again).RunAsync());
        Assert.Empty(again.Lines);

        // The converted spaces are served as any other.
        var opening = await store.OpenAsync(Orders, 2);
        Assert.Equal(PartitionMap.Even(3).Ranges[2], opening.Range);
        await store.CommitAsync(Orders, 2, opening.Epoch, [new StoreWrite(RecordKind.Item, items[0].NewKey, null)]);
        Assert.Null(await store.GetAsync(Orders, RecordKind.Item, items[0].NewKey));
    }

    [Fact]
    public async Task A_database_without_old_items_converts_nothing_and_says_nothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("legacy_empty"));
        await ExecuteAsync(dataSource, "INSERT INTO odyn_partition VALUES ('t', 'i', 0, 1)");
        var log = new ListLogger();

        Assert.Null(await new PostgresLegacyMigration(dataSource, log).RunAsync());

        Assert.Empty(log.Lines);
        Assert.Empty(await new PostgresPartitionStore(dataSource).ListSpacesAsync());
    }

    [Fact]
    public async Task Silos_starting_together_convert_once()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("legacy_concurrent");
        var dataSources = Enumerable.Range(0, 3).Select(_ => NpgsqlDataSource.Create(connectionString)).ToArray();
        try
        {
            var items = OldItems();
            await InsertOldRowsAsync(dataSources[0], items.Select(i => i.Row));

            var runs = await Task.WhenAll(dataSources.Select(d => Task.Run(() => new PostgresLegacyMigration(d).RunAsync())));

            Assert.Equal(new LegacyConversion(2503, 2), Assert.Single(runs, r => r is not null));
            var store = new PostgresPartitionStore(dataSources[0]);
            var values = await store.GetManyAsync(Orders, RecordKind.Item, items.Where(i => i.Space == Orders).Select(i => i.NewKey).ToList());
            Assert.All(values, Assert.NotNull);
            Assert.Equal(2503L, await ScalarAsync<long>(dataSources[0], "SELECT count(*) FROM odyn_record WHERE kind = 1"));
        }
        finally
        {
            foreach (var dataSource in dataSources) await dataSource.DisposeAsync();
        }
    }

    private static async Task InsertOldRowsAsync(NpgsqlDataSource dataSource, IEnumerable<OldRow> rows)
    {
        var list = rows.ToList();
        await ExecuteAsync(dataSource, "INSERT INTO odyn_item SELECT * FROM unnest(@tables, @incarnations, @partitions, @keys, @items)",
            new NpgsqlParameter<string[]>("tables", list.Select(r => r.Table).ToArray()),
            new NpgsqlParameter<string[]>("incarnations", list.Select(r => r.Incarnation).ToArray()),
            new NpgsqlParameter<int[]>("partitions", list.Select(r => r.Partition).ToArray()),
            new NpgsqlParameter<byte[][]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = list.Select(r => r.Key).ToArray() },
            new NpgsqlParameter<byte[][]>("items", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = list.Select(r => r.Item).ToArray() });
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed class ListLogger : ILogger<PostgresLegacyMigration>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
