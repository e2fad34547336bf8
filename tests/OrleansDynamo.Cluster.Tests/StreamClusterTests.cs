using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansDynamo.Changes;
using OrleansDynamo.Client;
using OrleansDynamo.Client.Changes;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>Helpers for tables with streams in the cluster tests.</summary>
internal static class StreamTables
{
    public static Task CreateAsync(IDynamoDb dynamo, string table) => dynamo.CreateTableAsync(new CreateTableRequest
    {
        TableName = table,
        BillingMode = "PAY_PER_REQUEST",
        KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
        AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
        StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewTypes.NewImage },
    });

    /// <summary>Writes version 1..<paramref name="versions"/> of each key, in order per key, keys in parallel.</summary>
    public static Task WriteVersionsAsync(Func<int, IDynamoDb> through, string table, IEnumerable<string> keys, int versions) =>
        Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pk, _) =>
        {
            for (var v = 1; v <= versions; v++)
                await through(v).PutItemAsync(new PutItemRequest
                {
                    TableName = table,
                    Item = new Item(new Dictionary<string, AttributeValue>
                    {
                        ["pk"] = AttributeValue.FromS(pk),
                        ["v"] = AttributeValue.FromN($"{v}"),
                        ["payload"] = AttributeValue.FromS(new string('x', 200)),
                    }),
                });
        });

    /// <summary>The versions each key's changes carried, in the order they were delivered.</summary>
    public static Dictionary<string, List<int>> VersionsByKey(IEnumerable<TableChange> changes) =>
        changes.GroupBy(c => c.Record.Dynamodb.Keys["pk"].S)
            .ToDictionary(g => g.Key, g => g.Select(c => int.Parse(c.Record.Dynamodb.NewImage!["v"].N.ToString())).ToList());
}

/// <summary>A table's stream while its partitions split: shards close, children name their parents, and reading in lineage order keeps each item's order.</summary>
public sealed class StreamSplitTests : IAsyncLifetime
{
    private const string Table = "streaming";
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(3, options =>
    {
        options.InitialPartitionCount = 1;
        options.SplitThresholdBytes = 16 * 1024; // about 70 of the items written
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IDynamoDb Through(int silo) => new DynamoDbClient(_cluster.Silos[silo % 3].ServiceProvider.GetRequiredService<IGrainFactory>());

    [Fact]
    public async Task Every_items_changes_come_in_order_across_splits()
    {
        await StreamTables.CreateAsync(Through(0), Table);
        var keys = Enumerable.Range(0, 400).Select(i => $"k{i}").ToArray();
        // Read while writing: the reader meets shards that close and children that open under it.
        using var stop = new CancellationTokenSource();
        var changes = new List<TableChange>();
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in Through(2).ReadChangesAsync(Table, pollInterval: TimeSpan.FromMilliseconds(20), cancellationToken: stop.Token))
                    lock (changes) changes.Add(change);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await StreamTables.WriteVersionsAsync(Through, Table, keys, versions: 5);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && changes.Count < keys.Length * 5) await Task.Delay(100);
        stop.Cancel();
        await reading;

        var info = await _cluster.Client.GetGrain<ITableGrain>(Table).GetInfo();
        Assert.True(info.Map.Ranges.Count >= 4, $"only {info.Map.Ranges.Count} partitions");
        var byKey = StreamTables.VersionsByKey(changes);
        Assert.Equal(keys.Length, byKey.Count);
        Assert.All(byKey, k => Assert.Equal([1, 2, 3, 4, 5], k.Value));

        // The lineage is visible: closed parents, and children that name them.
        var description = (await Through(1).DescribeStreamAsync(new DescribeStreamRequest { StreamArn = changes[0].Checkpoint.StreamArn })).StreamDescription!;
        var ids = description.Shards.Select(s => s.ShardId).ToHashSet();
        var children = description.Shards.Where(s => s.ParentShardId is not null).ToList();
        Assert.NotEmpty(children);
        Assert.All(children, c => Assert.Contains(c.ParentShardId!, ids));
        Assert.All(description.Shards.Where(s => children.Any(c => c.ParentShardId == s.ShardId)),
            parent => Assert.NotNull(parent.SequenceNumberRange.EndingSequenceNumber));
        Assert.Equal(info.Map.Ranges.Count, description.Shards.Count(s => s.SequenceNumberRange.EndingSequenceNumber is null));
    }
}

/// <summary>Change handlers in the silos: delivered at least once, in order per item, with retries, resuming after their silo is gone.</summary>
public sealed class ChangeHandlerTests : IAsyncLifetime
{
    private const string Table = "handled";
    private const string FlakyTable = "flaky";
    private InProcessTestCluster _cluster = null!;

    /// <summary>What the handlers received, by silo, shared by all silos of the test process.</summary>
    public static readonly ConcurrentQueue<(string Silo, TableChange Change)> Received = new();
    public static int FlakyCalls;

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(2, _ => { }, silo => silo
        .AddTableChangeHandler<RecordingHandler>(Table, options => options.PollInterval = TimeSpan.FromMilliseconds(20))
        .AddTableChangeHandler<FlakyHandler>(FlakyTable, options =>
        {
            options.PollInterval = TimeSpan.FromMilliseconds(20);
            options.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
            options.MaxAttempts = 3;
        }));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IDynamoDb Through(int silo) => new DynamoDbClient(_cluster.Silos[silo % _cluster.Silos.Count].ServiceProvider.GetRequiredService<IGrainFactory>());

    [Fact]
    public async Task A_handler_gets_every_change_in_order_and_resumes_on_another_silo()
    {
        await StreamTables.CreateAsync(Through(0), Table);
        var first = Enumerable.Range(0, 40).Select(i => $"a{i}").ToArray();
        await StreamTables.WriteVersionsAsync(Through, Table, first, versions: 3);
        await WaitForAsync(() => Received.Count(r => r.Change.Record.Dynamodb.Keys["pk"].S.StartsWith('a')) >= first.Length * 3);

        // The silo running the handler goes; the keeper on the other starts it there, from its checkpoint.
        var silo = Received.Last().Silo;
        var host = _cluster.Silos.Single(s => s.SiloAddress.ToString() == silo);
        await _cluster.StopSiloAsync(host);
        var second = Enumerable.Range(0, 40).Select(i => $"b{i}").ToArray();
        await StreamTables.WriteVersionsAsync(Through, Table, second, versions: 3);
        await WaitForAsync(() => Received.Count(r => r.Change.Record.Dynamodb.Keys["pk"].S.StartsWith('b')) >= second.Length * 3);

        // At least once: a batch handled but not yet checkpointed when the silo went comes again; each change's
        // first delivery is in order, and the handler resumed from its checkpoint, not from the start.
        var firstDeliveries = Received.Select(r => r.Change).DistinctBy(c => c.Record.EventId);
        var byKey = StreamTables.VersionsByKey(firstDeliveries);
        Assert.All(first.Concat(second), k => Assert.Equal([1, 2, 3], byKey[k]));
        Assert.True(Received.Count < (first.Length + second.Length) * 3 + first.Length * 3, "every change of the first round came again");
        Assert.Contains(Received, r => r.Silo != silo && r.Change.Record.Dynamodb.Keys["pk"].S.StartsWith('b'));
    }

    [Fact]
    public async Task A_failing_batch_is_retried_until_it_is_handled()
    {
        await StreamTables.CreateAsync(Through(0), FlakyTable);
        await StreamTables.WriteVersionsAsync(Through, FlakyTable, ["f"], versions: 1);
        await WaitForAsync(() => Received.Any(r => r.Change.Record.Dynamodb.Keys["pk"].S == "f"));
        Assert.Equal(3, Volatile.Read(ref FlakyCalls)); // two failures, then handled on the last attempt
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the handler");
            await Task.Delay(50);
        }
    }

    public sealed class RecordingHandler(ILocalSiloDetails silo) : ITableChangeHandler
    {
        public Task HandleAsync(IReadOnlyList<TableChange> changes, CancellationToken cancellationToken)
        {
            foreach (var change in changes) Received.Enqueue((silo.SiloAddress.ToString(), change));
            return Task.CompletedTask;
        }
    }

    /// <summary>Fails the first two attempts at its first batch.</summary>
    public sealed class FlakyHandler(ILocalSiloDetails silo) : ITableChangeHandler
    {
        public Task HandleAsync(IReadOnlyList<TableChange> changes, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref FlakyCalls) <= 2) throw new InvalidOperationException("not yet");
            foreach (var change in changes) Received.Enqueue((silo.SiloAddress.ToString(), change));
            return Task.CompletedTask;
        }
    }
}
