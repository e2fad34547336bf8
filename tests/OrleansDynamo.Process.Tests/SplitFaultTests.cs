using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Splits under faults, with real processes: the server kills itself (SIGKILL) at each step of a split, or
/// PostgreSQL goes away while partitions split. After a restart every acknowledged write is there, a paged
/// Scan returns no item twice, and the table's counters agree with its items (nothing orphaned).
/// </summary>
public sealed class SplitFaultTests
{
    private const string Table = "splitting";
    private const int Writers = 16;
    // About 60 items of the size written below: the first split comes within the first second of writes.
    private static readonly string[] SmallPartitions = ["--initial-partitions", "1", "--split-threshold-bytes", "65536"];

    public static TheoryData<string> FaultPoints => ["split-before-map", "split-after-map", "split-after-adopt"];

    [Theory]
    [MemberData(nameof(FaultPoints))]
    public async Task Embedded_store_loses_nothing_when_the_server_dies_during_a_split(string faultPoint)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "odyn-split-" + Guid.NewGuid().ToString("N"));
        try
        {
            await KilledDuringSplitAsync(faultPoint, ["--data-dir", dataDirectory, .. SmallPartitions]);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(FaultPoints))]
    public async Task Postgres_store_loses_nothing_when_the_server_dies_during_a_split(string faultPoint)
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("split_fault");
        await KilledDuringSplitAsync(faultPoint, ["--storage", "postgres", "--postgres", connectionString, .. SmallPartitions]);
    }

    [Fact]
    public async Task Postgres_outage_while_partitions_split_loses_nothing()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("split_outage");
        var writes = new Writes();
        await using var server = await ServerProcess.StartAsync(["--storage", "postgres", "--postgres", connectionString, .. SmallPartitions]);
        using var client = server.CreateClient();
        await CreateTableAsync(client);

        using var stop = new CancellationTokenSource();
        var load = writes.RunAsync(client, stop.Token, stopOnError: false);
        while (writes.Acknowledged.Count < 300) await Task.Delay(10);
        await postgres.CrashAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.RestartAsync();
        var resumed = writes.Acknowledged.Count;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (writes.Acknowledged.Count < resumed + 300 && DateTime.UtcNow < deadline) await Task.Delay(10);
        stop.Cancel();
        await load;
        Assert.True(writes.Acknowledged.Count >= resumed + 300, "writes did not resume after PostgreSQL came back:\n" + server.Output);

        await CheckAsync(client, writes, server.Output);
    }

    private static async Task KilledDuringSplitAsync(string faultPoint, string[] arguments)
    {
        var writes = new Writes();
        await using (var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["ODYN_FAULT_POINT"] = faultPoint }, arguments))
        {
            using var client = server.CreateClient();
            await CreateTableAsync(client);
            using var stop = new CancellationTokenSource();
            var load = writes.RunAsync(client, stop.Token, stopOnError: true);
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the server never reached {faultPoint}:\n{server.Output}");
            stop.Cancel();
            await load;
        }
        Assert.NotEmpty(writes.Acknowledged);

        await using var restarted = await ServerProcess.StartAsync(arguments);
        using var after = restarted.CreateClient(maxErrorRetry: 3);
        await CheckAsync(after, writes, restarted.Output);

        // The table goes on splitting and serving after the restart.
        using var more = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await writes.RunAsync(after, more.Token, stopOnError: false);
        await CheckAsync(after, writes, restarted.Output);
    }

    private static Task CreateTableAsync(IAmazonDynamoDB client) => client.CreateTableAsync(new CreateTableRequest
    {
        TableName = Table,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.N)],
    });

    /// <summary>Acknowledged writes are present with their value; present items hold a value someone wrote; no item twice; counters agree.</summary>
    private static async Task CheckAsync(IAmazonDynamoDB client, Writes writes, string output)
    {
        var seen = new Dictionary<string, string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = Table, Limit = 37, ExclusiveStartKey = start });
            foreach (var item in page.Items)
                Assert.True(seen.TryAdd(item["pk"].S, item["v"].S), $"the scan returned {item["pk"].S} twice");
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);

        foreach (var (key, value) in writes.Acknowledged)
            Assert.True(seen.TryGetValue(key, out var found) && found == value, $"acknowledged write {key} was lost:\n{output}");
        foreach (var (key, value) in seen)
            Assert.True(writes.Attempted.TryGetValue(key, out var written) && written == value, $"item {key} holds a value nobody wrote");
        var description = await client.DescribeTableAsync(Table);
        Assert.Equal(seen.Count, description.Table.ItemCount);
    }

    private sealed class Writes
    {
        private int _next = -1;
        public ConcurrentDictionary<string, string> Attempted { get; } = new();
        public ConcurrentDictionary<string, string> Acknowledged { get; } = new();

        public Task RunAsync(IAmazonDynamoDB client, CancellationToken stop, bool stopOnError) =>
            Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var key = $"item-{Interlocked.Increment(ref _next):D6}";
                    var value = $"{key}:" + new string('x', 1000);
                    Attempted[key] = value;
                    try
                    {
                        await client.PutItemAsync(new PutItemRequest
                        {
                            TableName = Table,
                            Item = new() { ["pk"] = new AttributeValue { S = key }, ["sk"] = new AttributeValue { N = "1" }, ["v"] = new AttributeValue { S = value } },
                        }, CancellationToken.None);
                        Acknowledged[key] = value;
                    }
                    catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                    {
                        if (stopOnError) return; // The server is gone; this writer stops.
                        await Task.Delay(50, CancellationToken.None);
                    }
                }
            }));
    }
}
