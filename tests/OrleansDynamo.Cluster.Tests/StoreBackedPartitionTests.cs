using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansDynamo.Client;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Tables;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>
/// Partitions that read their items from the store: a cache far smaller than the data, conditions that
/// depend on writes still in flight, splits that move nothing, and no data left behind by dropped tables.
/// </summary>
public sealed class StoreBackedPartitionTests
{
    private static async Task<(InProcessTestCluster Cluster, IDynamoDb Dynamo, GatedStore Store)> StartAsync(Action<OrleansDynamoOptions>? configure = null, long cacheBytes = 0)
    {
        var store = new GatedStore(new MemoryPartitionStore());
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IPartitionStore>(store);
            silo.Services.AddSingleton<ILoggerProvider>(new LogCapture());
            if (cacheBytes > 0) silo.Services.AddSingleton(new ItemCache(cacheBytes));
            silo.AddOrleansDynamo(options =>
            {
                options.SpaceCleanInterval = TimeSpan.Zero;
                configure?.Invoke(options);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return (cluster, new DynamoDbClient(cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>()), store);
    }

    private static Task CreateAsync(IDynamoDb dynamo, string table) => dynamo.CreateTableAsync(new CreateTableRequest
    {
        TableName = table,
        BillingMode = "PAY_PER_REQUEST",
        KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }, new KeySchemaElement { AttributeName = "sk", KeyType = "RANGE" }],
        AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }, new AttributeDefinition { AttributeName = "sk", AttributeType = "N" }],
    });

    private static Item Key(string pk, int sk) => new([KeyValuePair.Create("pk", AttributeValue.FromS(pk)), KeyValuePair.Create("sk", AttributeValue.FromN(sk.ToString()))]);

    private static Item Row(string pk, int sk, string payload) =>
        Key(pk, sk).With(set: [KeyValuePair.Create("payload", AttributeValue.FromS(payload))]);

    [Fact]
    public async Task Transfers_while_the_table_splits_keep_the_total_and_leave_no_intent()
    {
        // About 60 items of the size written below fill a partition: it splits while the transfers run.
        var (cluster, dynamo, _) = await StartAsync(options => options.SplitThresholdBytes = 16 * 1024);
        await using var _ = cluster;
        await CreateAsync(dynamo, "ledger");
        const int accounts = 40;
        for (var a = 0; a < accounts; a++)
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "ledger", Item = Key($"acct{a}", 0).With(set: [KeyValuePair.Create("n", AttributeValue.FromN("100"))]) });

        static TransactWriteItem Move(int account, int amount) => new()
        {
            Update = new UpdateItemRequest
            {
                TableName = "ledger",
                Key = Key($"acct{account}", 0),
                UpdateExpression = "ADD n :a",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":a"] = AttributeValue.FromN(amount.ToString()) },
            },
        };
        var committed = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 60; i++)
            {
                var from = random.Next(accounts);
                var to = (from + 1 + random.Next(accounts - 1)) % accounts;
                try
                {
                    await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
                    {
                        TransactItems =
                        [
                            Move(from, -1),
                            Move(to, 1),
                            // Padding that grows the table past the split threshold.
                            new TransactWriteItem { Put = new PutItemRequest { TableName = "ledger", Item = Row($"pad{worker}-{i}", 1, new string('p', 300)) } },
                        ],
                    });
                    Interlocked.Increment(ref committed);
                }
                catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.TransactionCanceled)
                {
                }
            }
        }));

        var table = await cluster.Client.GetGrain<ITableGrain>("ledger").GetInfo();
        Assert.True(table.Map.Ranges.Count > 4, $"the table did not split ({table.Map.Ranges.Count} partitions)");
        Assert.True(committed > 0);
        var total = 0;
        for (var a = 0; a < accounts; a++)
        {
            // A single-item write goes through: no intent is left on any account.
            var updated = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = "ledger",
                Key = Key($"acct{a}", 0),
                UpdateExpression = "ADD n :zero",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":zero"] = AttributeValue.FromN("0") },
                ReturnValues = "ALL_NEW",
            });
            total += int.Parse(updated.Attributes!["n"].N.ToString());
        }
        Assert.Equal(accounts * 100, total);
        var pads = await dynamo.ScanAsync(new ScanRequest { TableName = "ledger", Select = "COUNT" });
        Assert.Equal(accounts + committed, pads.Count);
    }

    [Fact]
    public async Task Items_far_beyond_a_small_cache_read_back_exactly_and_counters_stay_exact()
    {
        var (cluster, dynamo, _) = await StartAsync(cacheBytes: 64 * 1024);
        await using var _ = cluster;
        await CreateAsync(dynamo, "big");
        var payload = new string('x', 1000);
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "big", Item = Row($"p{i % 200}", i, payload + i) }));
        // Conditional increments on a few hot items, through a cache that keeps evicting them.
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = "big",
                Key = Key($"p{i % 4}", i % 4),
                UpdateExpression = "ADD hits :one",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":one"] = AttributeValue.FromN("1") },
            }));

        for (var i = 0; i < 2000; i += 7)
        {
            var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = "big", Key = Key($"p{i % 200}", i) })).Item;
            Assert.Equal(payload + i, item!["payload"].S);
        }
        for (var k = 0; k < 4; k++)
            Assert.Equal("100", (await dynamo.GetItemAsync(new GetItemRequest { TableName = "big", Key = Key($"p{k}", k) })).Item!["hits"].N.ToString());
        var query = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = "big",
            KeyConditionExpression = "pk = :p AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":p"] = AttributeValue.FromS("p7"), [":a"] = AttributeValue.FromN("0"), [":b"] = AttributeValue.FromN("1000") },
        });
        Assert.Equal(Enumerable.Range(0, 5).Select(j => (7 + 200 * j).ToString()), query.Items!.Select(i => i["sk"].N.ToString()));
        var description = await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = "big" });
        Assert.Equal(2000, description.Table!.ItemCount);
    }

    [Fact]
    public async Task A_failed_condition_on_a_write_in_flight_is_answered_only_once_that_write_is_durable()
    {
        var (cluster, dynamo, store) = await StartAsync();
        await using var _ = cluster;
        await CreateAsync(dynamo, "inflight");
        var gate = store.HoldCommits();
        var first = dynamo.PutItemAsync(new PutItemRequest { TableName = "inflight", Item = Row("a", 1, "first") });
        await store.CommitHeld;
        var second = dynamo.PutItemAsync(new PutItemRequest { TableName = "inflight", Item = Row("a", 1, "second"), ConditionExpression = "attribute_not_exists(pk)" });
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "The condition failed on a value that is not durable yet; it must not be answered before it is");
        gate.SetResult(null);
        await first;
        var error = await Assert.ThrowsAsync<DynamoException>(() => second);
        Assert.Equal(DynamoErrorTypes.ConditionalCheckFailed, error.ErrorType);
    }

    [Fact]
    public async Task A_condition_decided_on_a_write_whose_commit_fails_fails_too()
    {
        var (cluster, dynamo, store) = await StartAsync();
        await using var _ = cluster;
        await CreateAsync(dynamo, "failing");
        var gate = store.HoldCommits();
        var first = dynamo.PutItemAsync(new PutItemRequest { TableName = "failing", Item = Row("a", 1, "first") });
        await store.CommitHeld;
        var second = dynamo.PutItemAsync(new PutItemRequest { TableName = "failing", Item = Row("a", 1, "second"), ConditionExpression = "attribute_not_exists(pk)" });
        await Task.Delay(200);
        gate.SetResult(new IOException("disk gone"));
        Assert.Equal(DynamoErrorTypes.InternalServerError, (await Assert.ThrowsAsync<DynamoException>(() => first)).ErrorType);
        // Not ConditionalCheckFailed: the item it saw never existed.
        Assert.Equal(DynamoErrorTypes.InternalServerError, (await Assert.ThrowsAsync<DynamoException>(() => second)).ErrorType);
        Assert.Null((await dynamo.GetItemAsync(new GetItemRequest { TableName = "failing", Key = Key("a", 1) })).Item);
    }

    [Fact]
    public async Task Splits_move_no_items_and_item_counts_stay_exact()
    {
        var (cluster, dynamo, store) = await StartAsync(options =>
        {
            options.InitialPartitionCount = 1;
            options.SplitThresholdBytes = 32 * 1024;
        });
        await using var _ = cluster;
        await CreateAsync(dynamo, "splitting");
        var payload = new string('y', 500);
        for (var i = 0; i < 600; i++) await dynamo.PutItemAsync(new PutItemRequest { TableName = "splitting", Item = Row($"k{i}", i, payload) });
        var grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        var info = await grains.GetGrain<ITableGrain>("splitting").GetInfo();
        Assert.True(info.Map.Ranges.Count >= 8, $"expected the table to split, it has {info.Map.Ranges.Count} partitions");
        // Every item record written is one of the 600 puts: nothing was copied.
        Assert.Equal(600, store.ItemRecordsWritten);
        Assert.True(store.Splits >= info.Map.Ranges.Count - 1);
        // The ranges still cover the whole hash space, one after the other.
        Assert.Equal(0UL, info.Map.Ranges[0].Start);
        Assert.Equal(ulong.MaxValue, info.Map.Ranges[^1].End);
        for (var i = 1; i < info.Map.Ranges.Count; i++) Assert.Equal(info.Map.Ranges[i - 1].End + 1, info.Map.Ranges[i].Start);
        var description = await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = "splitting" });
        Assert.Equal(600, description.Table!.ItemCount);
        Assert.Equal(600, (await dynamo.ScanAsync(new ScanRequest { TableName = "splitting", Select = "COUNT" })).Count);
    }

    [Fact]
    public async Task A_range_that_cannot_split_keeps_serving_without_trying_on_every_commit()
    {
        var (cluster, dynamo, store) = await StartAsync(options =>
        {
            options.InitialPartitionCount = 1;
            options.SplitThresholdBytes = 16 * 1024;
        });
        await using var _ = cluster;
        await CreateAsync(dynamo, "onekey");
        var payload = new string('z', 500);
        // One partition key: one hash, one bucket, so no split point exists.
        for (var i = 0; i < 300; i++) await dynamo.PutItemAsync(new PutItemRequest { TableName = "onekey", Item = Row("hot", i, payload) });
        Assert.Equal(0, store.Splits);
        var grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        Assert.Single((await grains.GetGrain<ITableGrain>("onekey").GetInfo()).Map.Ranges);
        // Each attempt pauses the partition's writes; it tries again only after doubling in size.
        var attempts = Log.Count(m => m.Contains("cannot split"));
        Assert.InRange(attempts, 1, 4);
    }

    [Fact]
    public async Task Data_of_dropped_tables_and_indexes_is_deleted_even_when_the_drop_was_interrupted()
    {
        var (cluster, dynamo, store) = await StartAsync();
        await using var _ = cluster;
        await CreateAsync(dynamo, "kept");
        await CreateAsync(dynamo, "dropped");
        await dynamo.PutItemAsync(new PutItemRequest { TableName = "kept", Item = Row("a", 1, "v") });
        await dynamo.PutItemAsync(new PutItemRequest { TableName = "dropped", Item = Row("a", 1, "v") });
        await dynamo.DeleteTableAsync(new DeleteTableRequest { TableName = "dropped" });
        // What a crash between DeleteTable and its background delete leaves: spaces no table owns.
        var orphan = new StoreSpace("dropped", Guid.NewGuid().ToString("D"));
        var orphanIndex = new StoreSpace("kept", Guid.NewGuid().ToString("D"), "noindex");
        foreach (var space in (StoreSpace[])[orphan, orphanIndex])
        {
            await store.EnsureMapAsync(space, PartitionMap.Even(1));
            var epoch = (await store.OpenAsync(space, 0)).Epoch;
            await store.CommitAsync(space, 0, epoch, [new StoreWrite(RecordKind.Item, StoreKeys.HashStart(1), [1, 2, 3])]);
        }

        var cleaner = cluster.Silos[0].ServiceProvider.GetRequiredService<SpaceCleaner>();
        await cleaner.CleanAsync();
        var spaces = await store.ListSpacesAsync();
        Assert.Equal(["kept"], spaces.Select(s => s.TableName).Distinct());
        Assert.DoesNotContain(spaces, s => s.IndexId is not null);
        Assert.Equal("v", (await dynamo.GetItemAsync(new GetItemRequest { TableName = "kept", Key = Key("a", 1) })).Item!["payload"].S);
    }

    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> Log = new();

    /// <summary>Keeps the partitions' log lines, to count split attempts.</summary>
    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => categoryName.EndsWith("PartitionGrain", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            StoreBackedPartitionTests.Log.Enqueue(formatter(state, exception));
        public void Dispose() { }
    }

    /// <summary>The memory store, with commits that a test can hold and then release or fail, and a record of splits.</summary>
    [Fact]
    public async Task A_burst_of_large_items_queued_behind_a_commit_goes_to_the_store_in_commits_of_at_most_16_MB()
    {
        var (cluster, dynamo, store) = await StartAsync();
        await using var _ = cluster;
        await CreateAsync(dynamo, "large");
        var gate = store.HoldCommits();
        var first = dynamo.PutItemAsync(new PutItemRequest { TableName = "large", Item = Row("a", 0, "first") });
        await store.CommitHeld;
        // 60 items of 380 KB (about 23 MB) on one partition, all queued while the first commit is held.
        var payload = new string('x', 380 * 1024);
        var burst = Enumerable.Range(1, 60).Select(i => dynamo.PutItemAsync(new PutItemRequest { TableName = "large", Item = Row("a", i, payload) })).ToList();
        await Task.Delay(300);
        gate.SetResult(null);
        await first;
        await Task.WhenAll(burst);
        Assert.InRange(store.LargestCommitBytes, 1, 16L * 1024 * 1024 + 400 * 1024);
        Assert.Equal(61, store.ItemRecordsWritten);
    }

    private sealed class GatedStore(IPartitionStore inner) : IPartitionStore
    {
        private TaskCompletionSource<Exception?>? _gate;
        private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Splits;
        public int ItemRecordsWritten;
        public long LargestCommitBytes;

        /// <summary>Completes when a commit waits at the gate.</summary>
        public Task CommitHeld => _held.Task;

        /// <summary>Holds the next commits until the result is set: null lets them through, an exception fails them.</summary>
        public TaskCompletionSource<Exception?> HoldCommits() => _gate = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task CommitAsync(StoreSpace space, int partitionId, long epoch, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
        {
            if (_gate is { } gate && writes.Any(w => w.Kind == RecordKind.Item))
            {
                _held.TrySetResult();
                if (await gate.Task is { } error) throw error;
            }
            await inner.CommitAsync(space, partitionId, epoch, writes, cancellationToken);
            Interlocked.Add(ref ItemRecordsWritten, writes.Count(w => w.Kind == RecordKind.Item && w.Value is not null));
            var bytes = writes.Sum(w => (long)w.Key.Length + (w.Value?.Length ?? 0));
            lock (this) LargestCommitBytes = Math.Max(LargestCommitBytes, bytes);
        }

        public Task<SplitOutcome> SplitAsync(StoreSpace space, int parentId, long parentEpoch, ulong splitAt, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Splits);
            return inner.SplitAsync(space, parentId, parentEpoch, splitAt, cancellationToken);
        }

        public ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadRangeAsync(space, kind, from, to, forward, limit, cancellationToken);

        public Task<IStoreSnapshot> OpenSnapshotAsync(IReadOnlyList<StoreSpace> spaces, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(spaces, cancellationToken);
        public Task<StoredMap> EnsureMapAsync(StoreSpace space, PartitionMap initial, CancellationToken cancellationToken = default) => inner.EnsureMapAsync(space, initial, cancellationToken);
        public Task<StoredMap?> ReadMapAsync(StoreSpace space, CancellationToken cancellationToken = default) => inner.ReadMapAsync(space, cancellationToken);
        public Task<PartitionOpening> OpenAsync(StoreSpace space, int partitionId, CancellationToken cancellationToken = default) => inner.OpenAsync(space, partitionId, cancellationToken);
        public ValueTask<byte[]?> GetAsync(StoreSpace space, RecordKind kind, byte[] key, CancellationToken cancellationToken = default) => inner.GetAsync(space, kind, key, cancellationToken);
        public ValueTask<byte[]?[]> GetManyAsync(StoreSpace space, RecordKind kind, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default) => inner.GetManyAsync(space, kind, keys, cancellationToken);
        public Task<IReadOnlyList<StoreSpace>> ListSpacesAsync(CancellationToken cancellationToken = default) => inner.ListSpacesAsync(cancellationToken);
        public Task DeleteSpaceAsync(StoreSpace space, CancellationToken cancellationToken = default) => inner.DeleteSpaceAsync(space, cancellationToken);
    }
}
