using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansDynamo.Client;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Placement;
using OrleansDynamo.Tables;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>Regression tests of hazards a read of the code found: each fails without its fix.</summary>
public sealed class ReliabilityTests
{
    private static IDynamoDb Through(InProcessTestCluster cluster, int silo) =>
        new DynamoDbClient(cluster.Silos[silo].ServiceProvider.GetRequiredService<IGrainFactory>());

    private static Task CreateIndexedAsync(IDynamoDb dynamo, string table) => dynamo.CreateTableAsync(new CreateTableRequest
    {
        TableName = table, BillingMode = "PAY_PER_REQUEST",
        KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
        AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }, new AttributeDefinition { AttributeName = "g", AttributeType = "S" }],
        GlobalSecondaryIndexes = [new GlobalSecondaryIndex
        {
            IndexName = "by-g", KeySchema = [new KeySchemaElement { AttributeName = "g", KeyType = "HASH" }], Projection = new Projection { ProjectionType = "ALL" },
        }],
    });

    private static Item Row(string pk, string g) => new([KeyValuePair.Create("pk", AttributeValue.FromS(pk)), KeyValuePair.Create("g", AttributeValue.FromS(g))]);

    private static async Task<int> CountByGAsync(IDynamoDb dynamo, string table, string g) =>
        (await dynamo.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = "by-g", KeyConditionExpression = "g = :g",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":g"] = AttributeValue.FromS(g) },
        })).Items?.Count ?? 0;

    private static async Task EventuallyAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Index_changes_after_a_move_to_a_silo_whose_clock_is_behind_are_not_dropped()
    {
        await using var cluster = await TestClusters.StartAsync(2, options => options.InitialPartitionCount = 1);
        await CreateIndexedAsync(Through(cluster, 0), "moved");
        await Through(cluster, 0).PutItemAsync(new PutItemRequest { TableName = "moved", Item = Row("a", "old") });
        await EventuallyAsync(async () => await CountByGAsync(Through(cluster, 0), "moved", "old") == 1);

        // The partition's silo goes; the other, an hour behind, takes the partition over.
        var grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        var host = (await PartitionCensus.TakeAsync(grains)).Single(s => s.Value.Any(g => g.Key.ToString()!.StartsWith("moved|", StringComparison.Ordinal))).Key;
        var leaving = cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        var staying = cluster.Silos.IndexOf(cluster.Silos.Single(s => !s.SiloAddress.Equals(host)));
        cluster.Silos[staying].ServiceProvider.GetRequiredService<OrleansDynamoClock>().Advance(TimeSpan.FromHours(-1));
        await cluster.StopSiloAsync(leaving);
        var survivor = Through(cluster, 0);

        await survivor.PutItemAsync(new PutItemRequest { TableName = "moved", Item = Row("a", "new") });
        await EventuallyAsync(async () => await CountByGAsync(survivor, "moved", "new") == 1);
        Assert.Equal(0, await CountByGAsync(survivor, "moved", "old"));
    }

    [Fact]
    public async Task A_late_older_put_does_not_bring_back_an_index_entry_a_newer_delete_removed()
    {
        await using var cluster = await TestClusters.StartAsync(1, _ => { });
        var dynamo = Through(cluster, 0);
        await CreateIndexedAsync(dynamo, "tombstones");
        var grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        var table = await grains.GetGrain<ITableGrain>("tombstones").GetInfo();
        var index = table.FindIndex("by-g")!;
        var key = new Item([KeyValuePair.Create("pk", AttributeValue.FromS("gone"))]);
        var hash = KeyBytes.PartitionHash(AttributeValue.FromS("x"));
        var partition = grains.GetGrain<IIndexPartitionGrain>(IndexPartitionKey.Format("tombstones", table.Incarnation, index.IndexId, index.Map!.Find(hash).PartitionId));

        // The delete (sequence 20) arrives before a backfill's put of the item (sequence 10), which is older.
        await partition.Apply([new IndexChange(key, 20, hash, null)]);
        await partition.Apply([new IndexChange(key, 10, hash, Row("gone", "x"))]);
        Assert.Equal(0, await CountByGAsync(dynamo, "tombstones", "x"));
        // A newer put still applies.
        await partition.Apply([new IndexChange(key, 30, hash, Row("gone", "x"))]);
        Assert.Equal(1, await CountByGAsync(dynamo, "tombstones", "x"));
    }

    [Fact]
    public async Task DescribeTable_answers_at_once_while_index_partitions_split()
    {
        // Index partitions of a few KB split again and again (600 index keys: many buckets) while the table is described.
        await using var cluster = await TestClusters.StartAsync(1, options => options.SplitThresholdBytes = 4 * 1024);
        var dynamo = Through(cluster, 0);
        await CreateIndexedAsync(dynamo, "described");
        using var stop = new CancellationTokenSource();
        var slowest = TimeSpan.Zero;
        var describing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = "described" });
                if (clock.Elapsed > slowest) slowest = clock.Elapsed;
            }
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "described", Item = Row($"k{i}", $"g{i}").With(set: [KeyValuePair.Create("pad", AttributeValue.FromS(new string('p', 200)))]) }));
        await EventuallyAsync(async () => await CountByGAsync(dynamo, "described", "g599") == 1);
        stop.Cancel();
        await describing;
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"a DescribeTable took {slowest}");
    }

    /// <summary>
    /// A rejected message never ran, so the router sends it again; a silo that died may have run the call, so its loss
    /// goes back to the caller, where a conditional write's second run could otherwise fail the condition its first run met.
    /// </summary>
    [Fact]
    public async Task A_rejected_call_is_routed_again_and_a_call_lost_with_its_silo_is_not()
    {
        await using var cluster = await TestClusters.StartAsync(1, _ => { });
        var dynamo = Through(cluster, 0);
        await CreateIndexedAsync(dynamo, "routed");
        var router = new TableRouter(cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>());

        var rejectedCalls = 0;
        await router.CallAsync("routed", 7, _ => ++rejectedCalls == 1
            ? Task.FromException(Rejection("Forwarding failed: the activation is deactivating"))
            : Task.CompletedTask);
        Assert.Equal(2, rejectedCalls);

        var lostCalls = 0;
        await Assert.ThrowsAsync<Orleans.Runtime.SiloUnavailableException>(() => router.CallAsync("routed", 7, _ =>
        {
            lostCalls++;
            return Task.FromException(new Orleans.Runtime.SiloUnavailableException("The target silo became unavailable"));
        }));
        Assert.Equal(1, lostCalls);
    }

    /// <summary>Orleans raises <see cref="Orleans.Runtime.OrleansMessageRejectionException"/> itself only; its constructor is not public.</summary>
    private static Exception Rejection(string message) =>
        (Exception)Activator.CreateInstance(typeof(Orleans.Runtime.OrleansMessageRejectionException),
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null, [message], null)!;

    [Fact]
    public async Task A_request_checked_against_a_table_created_again_with_other_keys_fails_as_for_a_missing_table()
    {
        await using var cluster = await TestClusters.StartAsync(1, _ => { });
        var cached = Through(cluster, 0);
        var other = Through(cluster, 0);
        await cached.CreateTableAsync(new CreateTableRequest
        {
            TableName = "again", BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }], AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
        });
        await cached.PutItemAsync(new PutItemRequest { TableName = "again", Item = Row("a", "x") });
        await other.DeleteTableAsync(new DeleteTableRequest { TableName = "again" });
        await other.CreateTableAsync(new CreateTableRequest
        {
            TableName = "again", BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "id", KeyType = "HASH" }], AttributeDefinitions = [new AttributeDefinition { AttributeName = "id", AttributeType = "N" }],
        });

        // The first client still has the old table's schema: its request is not sent to the new table unchecked.
        var gone = await Assert.ThrowsAsync<DynamoException>(() => cached.PutItemAsync(new PutItemRequest { TableName = "again", Item = Row("b", "x") }));
        Assert.Equal(DynamoErrorTypes.ResourceNotFound, gone.ErrorType);
        var invalid = await Assert.ThrowsAsync<DynamoException>(() => cached.PutItemAsync(new PutItemRequest { TableName = "again", Item = Row("b", "x") }));
        Assert.Equal(DynamoErrorTypes.Validation, invalid.ErrorType);
        var query = await Assert.ThrowsAsync<DynamoException>(() => other.QueryAsync(new QueryRequest
        {
            TableName = "again", KeyConditionExpression = "pk = :p", ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":p"] = AttributeValue.FromS("a") },
        }));
        Assert.Equal(DynamoErrorTypes.Validation, query.ErrorType);
    }

    [Fact]
    public async Task Recovery_after_start_goes_on_past_a_table_that_cannot_activate()
    {
        await using var cluster = await TestClusters.StartAsync(1, _ => { });
        var dynamo = Through(cluster, 0);
        await CreateIndexedAsync(dynamo, "present");
        var grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        // Listed before "present", with no table behind it.
        await grains.GetGrain<ICatalogGrain>(0).Add("absent");
        var recovery = ActivatorUtilities.CreateInstance<TableRecovery>(cluster.Silos[0].ServiceProvider);
        await recovery.StartAsync();
        await recovery.Completed;
        Assert.Equal("present", recovery.FirstTable?.TableName);
    }
}
