using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansDynamo.Client;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Partitions;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>Tables that outgrow their partitions split while they serve, across three silos sharing one store.</summary>
public sealed class SplitTests : IAsyncLifetime
{
    private const string Table = "growing";
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(3, options =>
        {
            options.InitialPartitionCount = 2;
            options.SplitThresholdBytes = 16 * 1024; // About 70 items of the size written below.
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IDynamoDb Through(int silo) => new DynamoDbClient(_cluster.Silos[silo].ServiceProvider.GetRequiredService<IGrainFactory>());

    [Fact]
    public async Task Table_splits_past_threshold_and_a_concurrent_scan_sees_every_item_once()
    {
        var dynamo = Through(0);
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }, new KeySchemaElement { AttributeName = "sk", KeyType = "RANGE" }],
            AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }, new AttributeDefinition { AttributeName = "sk", AttributeType = "N" }],
        });
        var before = Enumerable.Range(0, 600).Select(i => $"before-{i}").ToArray();
        await WriteAsync(before);

        // Scan page by page while more writes keep splitting partitions under it.
        var during = Enumerable.Range(0, 900).Select(i => $"during-{i}").ToArray();
        var writing = WriteAsync(during);
        var seen = new ConcurrentBag<string>();
        Item? start = null;
        var scanner = Through(2);
        do
        {
            var page = await scanner.ScanAsync(new ScanRequest { TableName = Table, Limit = 25, ExclusiveStartKey = start });
            foreach (var item in page.Items!) seen.Add(item["pk"].S + "/" + item["sk"].N);
            start = page.LastEvaluatedKey;
            await Task.Delay(5);
        } while (start is not null);
        await writing;

        var counts = seen.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts, c => Assert.Equal(1, c.Value));
        Assert.All(before.SelectMany(Keys), k => Assert.True(counts.ContainsKey(k), $"{k} was missed"));

        var info = await _cluster.Client.GetGrain<ITableGrain>(Table).GetInfo();
        Assert.True(info.Map.Ranges.Count >= 8, $"only {info.Map.Ranges.Count} partitions");
        for (var i = 1; i < info.Map.Ranges.Count; i++) Assert.Equal(info.Map.Ranges[i - 1].End + 1, info.Map.Ranges[i].Start);

        // Every item is still there exactly once, whichever silo a request enters through.
        var all = await ScanAllAsync(Through(1));
        Assert.Equal((before.Length + during.Length) * 2, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());

        // Placement spreads new partitions and the rebalancer evens them out: within a few rounds all three silos hold some.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int silos;
        do
        {
            var partitions = (await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
                .Where(s => s.GrainType.Contains(nameof(PartitionGrain), StringComparison.Ordinal)).ToArray();
            silos = partitions.Select(p => p.SiloAddress).Distinct().Count();
            if (silos < 3) await Task.Delay(500);
        } while (silos < 3 && DateTime.UtcNow < deadline);
        Assert.Equal(3, silos);
    }

    private static IEnumerable<string> Keys(string pk) => [$"{pk}/1", $"{pk}/2"];

    private Task WriteAsync(IEnumerable<string> partitionKeys) =>
        Parallel.ForEachAsync(partitionKeys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pk, _) =>
        {
            var dynamo = Through(pk.GetHashCode() & 1);
            foreach (var sk in new[] { "1", "2" })
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = Table,
                    Item = new Item(new Dictionary<string, AttributeValue>
                    {
                        ["pk"] = AttributeValue.FromS(pk),
                        ["sk"] = AttributeValue.FromN(sk),
                        ["payload"] = AttributeValue.FromS(new string('x', 100)),
                    }),
                });
        });

    private static async Task<List<string>> ScanAllAsync(IDynamoDb dynamo)
    {
        var keys = new List<string>();
        Item? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = Table, ExclusiveStartKey = start });
            keys.AddRange(page.Items!.Select(i => i["pk"].S + "/" + i["sk"].N));
            start = page.LastEvaluatedKey;
        } while (start is not null);
        return keys;
    }
}

/// <summary>A partition that stays hot splits even when it is small, so its load spreads.</summary>
public sealed class HotSplitTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(1, options =>
        {
            options.InitialPartitionCount = 1;
            options.HotSplitWritesPerSecond = 20;
            options.HotSplitWindow = TimeSpan.FromMilliseconds(500);
            options.HotSplitWindows = 2;
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Partition_under_sustained_write_load_splits()
    {
        var dynamo = new DynamoDbClient(_cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>());
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = "hot",
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
            AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
        });
        var table = _cluster.Client.GetGrain<ITableGrain>("hot");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var written = 0;
        while ((await table.GetInfo()).Map.Ranges.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = "hot",
                Item = new Item([KeyValuePair.Create("pk", AttributeValue.FromS($"k{written + i}"))]),
            })));
            written += 20;
            await Task.Delay(50);
        }

        Assert.True((await table.GetInfo()).Map.Ranges.Count >= 2, "the hot partition never split");
        var scanned = await dynamo.ScanAsync(new ScanRequest { TableName = "hot" });
        Assert.Equal(written, scanned.Count);
    }
}

/// <summary>A global secondary index is partitioned like a table: its partitions split as it grows.</summary>
public sealed class IndexSplitTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(2, options =>
        {
            options.InitialPartitionCount = 2;
            options.SplitThresholdBytes = 16 * 1024;
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Global_index_splits_and_still_answers_every_item_once()
    {
        var dynamo = new DynamoDbClient(_cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>());
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = "indexed",
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
            AttributeDefinitions =
            [
                new AttributeDefinition { AttributeName = "pk", AttributeType = "S" },
                new AttributeDefinition { AttributeName = "group", AttributeType = "S" },
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-group",
                    KeySchema = [new KeySchemaElement { AttributeName = "group", KeyType = "HASH" }, new KeySchemaElement { AttributeName = "pk", KeyType = "RANGE" }],
                    Projection = new Projection { ProjectionType = "ALL" },
                },
            ],
        });
        const int items = 800, groups = 40;
        await Parallel.ForEachAsync(Enumerable.Range(0, items), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = "indexed",
                Item = new Item(new Dictionary<string, AttributeValue>
                {
                    ["pk"] = AttributeValue.FromS($"item-{i}"),
                    ["group"] = AttributeValue.FromS($"g{i % groups}"),
                    ["payload"] = AttributeValue.FromS(new string('x', 100)),
                }),
            }));

        // The index is eventually consistent: wait until every group answers all of its items.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int found;
        do
        {
            found = 0;
            for (var g = 0; g < groups; g++)
            {
                var page = await dynamo.QueryAsync(new QueryRequest
                {
                    TableName = "indexed",
                    IndexName = "by-group",
                    KeyConditionExpression = "#g = :g",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#g"] = "group" },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":g"] = AttributeValue.FromS($"g{g}") },
                });
                Assert.Equal(page.Items!.Count, page.Items.Select(i => i["pk"].S).Distinct().Count());
                Assert.All(page.Items, i => Assert.Equal($"g{g}", i["group"].S));
                found += page.Items.Count;
            }
        } while (found != items && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(items, found);

        var info = await _cluster.Client.GetGrain<ITableGrain>("indexed").GetInfo();
        var indexMap = info.FindIndex("by-group")!.Map!;
        Assert.True(indexMap.Ranges.Count >= 4, $"the index has only {indexMap.Ranges.Count} partitions");
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }
}
