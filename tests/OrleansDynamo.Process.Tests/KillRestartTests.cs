using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Durability with real processes: write under concurrent load, kill -9 the server mid-load, start it
/// again on the same storage. Every acknowledged write must be there; an unacknowledged one is either
/// wholly there or absent.
/// </summary>
public sealed class KillRestartTests
{
    private const int TotalItems = 10_000;
    private const int Writers = 32;
    private const int KillAfterAcknowledged = 3_000;

    [Fact]
    public async Task Embedded_store_keeps_every_acknowledged_write_across_kill_9()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "odyn-kill-" + Guid.NewGuid().ToString("N"));
        try
        {
            await WritesSurviveKillAsync(["--data-dir", dataDirectory]);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_store_keeps_every_acknowledged_write_across_kill_9()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("kill_test");
        await WritesSurviveKillAsync(["--storage", "postgres", "--postgres", connectionString]);
    }

    /// <summary>
    /// User attributes named like internal records ("\u0000odyn.outbox" was once taken for an outbox record, and the
    /// partition could never activate again): items and internal records have namespaces of their own in the store.
    /// </summary>
    [Fact]
    public async Task Attributes_named_like_internal_records_are_plain_data_across_a_restart()
    {
        using var data = new TempDataDirectory();
        string[] names = ["\u0000odyn.outbox", "\u0000odyn.meta", "\u0000odyn.stats", "\u0000", "odyn.outbox"];
        Dictionary<string, AttributeValue> Item(string pk)
        {
            var item = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = pk }, ["g"] = new() { S = "x" } };
            for (var i = 0; i < names.Length; i++) item[names[i]] = new() { S = $"v{i}" };
            return item;
        }

        await using (var server = await ServerProcess.StartAsync(data.Arguments))
        {
            using var client = server.CreateClient();
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = "named", BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("g", ScalarAttributeType.S)],
                GlobalSecondaryIndexes = [new GlobalSecondaryIndex
                {
                    IndexName = "by-g", KeySchema = [new KeySchemaElement("g", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL },
                }],
            });
            for (var i = 0; i < 20; i++) await client.PutItemAsync("named", Item($"k{i}"));
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(data.Arguments);
        using var again = restarted.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            var item = (await again.GetItemAsync(new GetItemRequest("named", new() { ["pk"] = new() { S = $"k{i}" } }, consistentRead: true))).Item;
            Assert.Equal(Item($"k{i}").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.S)),
                item.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.S)));
        }
        await again.PutItemAsync("named", Item("after"));
        var indexed = await again.QueryAsync(new QueryRequest
        {
            TableName = "named", IndexName = "by-g", KeyConditionExpression = "g = :g",
            ExpressionAttributeValues = new() { [":g"] = new() { S = "x" } },
        });
        Assert.Equal(21, indexed.Count);
        Assert.All(indexed.Items, item => Assert.Equal("v0", item["\u0000odyn.outbox"].S));
    }

    /// <summary>
    /// The bench's W workload at full speed (32 writers overwriting ~1 KB items across every partition, so commits
    /// of all partitions share WAL syncs), killed mid-stream: no overwrite is acknowledged before it is durable.
    /// Each key has one writer, so its stored version is the last acknowledged one or a later attempt.
    /// </summary>
    [Fact]
    public async Task Embedded_store_keeps_every_acknowledged_overwrite_when_killed_at_the_peak_of_W()
    {
        const int keys = 2_000;
        using var data = new TempDataDirectory();
        var acknowledged = new long[keys];
        var attempted = new long[keys];
        var filler = new string('d', 900);
        Dictionary<string, AttributeValue> Version(int key, long version) => new()
        {
            ["pk"] = new() { S = $"user{key / 10}" }, ["sk"] = new() { N = (key % 10).ToString() },
            ["v"] = new() { N = version.ToString() }, ["data"] = new() { S = filler },
        };

        await using (var server = await ServerProcess.StartAsync(data.Arguments))
        {
            using var client = server.CreateClient();
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = "peak", BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.N)],
            });
            using var stop = new CancellationTokenSource();
            long total = 0;
            var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                var random = new Random(writer);
                while (!stop.IsCancellationRequested)
                {
                    var key = writer + Writers * random.Next(keys / Writers);
                    var version = attempted[key] + 1;
                    attempted[key] = version;
                    try
                    {
                        await client.PutItemAsync("peak", Version(key, version), CancellationToken.None);
                    }
                    catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                    {
                        return;
                    }
                    acknowledged[key] = version;
                    Interlocked.Increment(ref total);
                }
            })).ToArray();
            // Past the JIT's first seconds, at the workload's peak; then kill at a moment no test picks.
            await Task.Delay(TimeSpan.FromSeconds(4) + TimeSpan.FromMilliseconds(Random.Shared.Next(1_000)));
            var before = Interlocked.Read(ref total);
            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(writers);
            Assert.True(before > 2_000, $"only {before} writes were acknowledged before the kill");
        }

        await using var restarted = await ServerProcess.StartAsync(data.Arguments);
        using var again = restarted.CreateClient();
        var stored = new Dictionary<int, long>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await again.ScanAsync(new ScanRequest { TableName = "peak", ExclusiveStartKey = start, ConsistentRead = true });
            foreach (var item in page.Items) stored[int.Parse(item["pk"].S[4..]) * 10 + int.Parse(item["sk"].N)] = long.Parse(item["v"].N);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        for (var key = 0; key < keys; key++)
        {
            if (acknowledged[key] == 0) continue;
            Assert.True(stored.TryGetValue(key, out var version), $"key {key}: acknowledged version {acknowledged[key]} was lost with the item");
            Assert.InRange(version, acknowledged[key], attempted[key]);
        }
    }

    private static async Task WritesSurviveKillAsync(string[] storage)
    {
        var attempted = new ConcurrentDictionary<string, string>();
        var acknowledged = new ConcurrentDictionary<string, string>();
        const string table = "durable";

        await using (var server = await ServerProcess.StartAsync(storage))
        try
        {
            using var client = server.CreateClient();
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            });

            using var stop = new CancellationTokenSource();
            var load = WriteAsync(client, table, attempted, acknowledged, stop.Token);
            while (acknowledged.Count < KillAfterAcknowledged && !load.IsCompleted) await Task.Delay(10);
            await server.KillAsync();
            stop.Cancel();
            await load;
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException("The server failed:\n" + server.Output, e);
        }
        Assert.InRange(acknowledged.Count, KillAfterAcknowledged, TotalItems - 1);

        await using (var restarted = await ServerProcess.StartAsync(storage))
        try
        {
            using var client = restarted.CreateClient();
            var stored = await ScanAllAsync(client, table);

            foreach (var (key, value) in acknowledged)
                Assert.True(stored.TryGetValue(key, out var found) && found == value, $"acknowledged write {key} was lost");
            foreach (var (key, value) in stored)
                Assert.True(attempted.TryGetValue(key, out var written) && written == value, $"item {key} holds a value nobody wrote");

            // The restarted server takes the rest of the load: the table ends complete.
            var remaining = Enumerable.Range(0, TotalItems).Select(Key).Where(k => !stored.ContainsKey(k)).ToArray();
            await Parallel.ForEachAsync(remaining, new ParallelOptions { MaxDegreeOfParallelism = Writers },
                async (key, _) => await client.PutItemAsync(table, Item(key)));
            Assert.Equal(TotalItems, (await ScanAllAsync(client, table)).Count);
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException("The restarted server failed:\n" + restarted.Output, e);
        }
    }

    private static async Task WriteAsync(IAmazonDynamoDB client, string table, ConcurrentDictionary<string, string> attempted,
        ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            int index;
            while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < TotalItems)
            {
                var key = Key(index);
                var item = Item(key);
                attempted[key] = item["v"].S;
                try
                {
                    await client.PutItemAsync(table, item, CancellationToken.None);
                    acknowledged[key] = item["v"].S;
                }
                catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                {
                    return; // The server is gone; this writer stops.
                }
            }
        }));
    }

    private static string Key(int index) => $"item-{index:D5}";

    private static Dictionary<string, AttributeValue> Item(string key) => new()
    {
        ["pk"] = new AttributeValue { S = key },
        ["v"] = new AttributeValue { S = $"{key}:" + new string('x', 200) },
    };

    private static async Task<Dictionary<string, string>> ScanAllAsync(IAmazonDynamoDB client, string table)
    {
        var items = new Dictionary<string, string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            foreach (var item in page.Items ?? []) items.Add(item["pk"].S, item["v"].S);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        return items;
    }
}
