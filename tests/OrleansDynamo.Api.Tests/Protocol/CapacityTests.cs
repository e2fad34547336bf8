using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>Capacity enforcement on a PROVISIONED table, on a server of its own with a one-second burst window.</summary>
public sealed class CapacityTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private IAmazonDynamoDB _client = null!;

    public async Task InitializeAsync()
    {
        _app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--in-memory", "--burst-seconds", "1"]);
        await _app.StartAsync();
        _client = ServerFixture.CreateClient(ServerHost.GetEndpoint(_app));
    }

    private async Task<string> CreateTableAsync(long readUnits, long writeUnits)
    {
        var name = "capacity-" + Guid.NewGuid().ToString("N")[..8];
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
            ProvisionedThroughput = new ProvisionedThroughput(readUnits, writeUnits),
        });
        return name;
    }

    private static PutItemRequest Put(string table, string id) => new()
    {
        TableName = table,
        Item = new Dictionary<string, AttributeValue> { ["id"] = new(id), ["v"] = new("x") },
    };

    [Fact]
    public async Task Closed_loop_writers_get_the_provisioned_rate_once_the_burst_is_used_and_the_rest_is_throttled()
    {
        var table = await CreateTableAsync(10, 10);
        long accepted = 0, throttled = 0;
        var measuring = false;
        ProvisionedThroughputExceededException? refusal = null;
        var stop = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (stop.Elapsed < TimeSpan.FromSeconds(9))
            {
                try
                {
                    await _client.PutItemAsync(Put(table, $"w{w}-{n++}"));
                    if (Volatile.Read(ref measuring)) Interlocked.Increment(ref accepted);
                }
                catch (ProvisionedThroughputExceededException e)
                {
                    refusal = e;
                    Interlocked.Increment(ref throttled);
                    await Task.Delay(5);
                }
            }
        })).ToArray();
        // The first three seconds use up the burst (one second's worth, plus what accrues while writers start).
        await Task.Delay(TimeSpan.FromSeconds(3));
        Volatile.Write(ref measuring, true);
        var measured = Stopwatch.StartNew();
        await Task.WhenAll(writers);
        var rate = Interlocked.Read(ref accepted) / measured.Elapsed.TotalSeconds;

        Assert.InRange(rate, 8, 12);
        Assert.True(throttled > 0);
        Assert.NotNull(refusal);
        Assert.Equal("ProvisionedThroughputExceededException", refusal.ErrorCode);
        Assert.Equal("The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
            refusal.Message);
    }

    [Fact]
    public async Task Writes_with_the_sdk_retry_are_all_written_eventually()
    {
        var table = await CreateTableAsync(50, 5);
        using var retrying = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
        {
            ServiceURL = ServerHost.GetEndpoint(_app).ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 20,
        });
        await Task.WhenAll(Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 8; i++) await retrying.PutItemAsync(Put(table, $"w{w}-{i}"));
        })));

        var count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await retrying.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start });
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        Assert.Equal(24, count);
    }

    [Fact]
    public async Task BatchWriteItem_returns_the_throttled_part_as_UnprocessedItems()
    {
        var table = await CreateTableAsync(10, 10);
        var unprocessed = 0;
        for (var batch = 0; batch < 8 && unprocessed == 0; batch++)
        {
            try
            {
                var response = await _client.BatchWriteItemAsync(new BatchWriteItemRequest
                {
                    RequestItems = new Dictionary<string, List<WriteRequest>>
                    {
                        [table] = Enumerable.Range(0, 25).Select(i => new WriteRequest(new PutRequest(Put(table, $"b{batch}-{i}").Item))).ToList(),
                    },
                });
                unprocessed = response.UnprocessedItems.GetValueOrDefault(table)?.Count ?? 0;
            }
            catch (ProvisionedThroughputExceededException)
            {
                // Every write of this batch was refused: the next one may get a part through.
            }
        }
        Assert.InRange(unprocessed, 1, 24);
    }

    [Fact]
    public async Task UpdateTable_counts_decreases_and_refuses_a_fifth_within_the_hour()
    {
        var table = await CreateTableAsync(10, 10);
        var increased = await _client.UpdateTableAsync(new UpdateTableRequest { TableName = table, ProvisionedThroughput = new ProvisionedThroughput(20, 20) });
        Assert.NotNull(increased.TableDescription.ProvisionedThroughput.LastIncreaseDateTime);
        for (var units = 19; units >= 16; units--)
            await _client.UpdateTableAsync(new UpdateTableRequest { TableName = table, ProvisionedThroughput = new ProvisionedThroughput(units, units) });
        var described = (await _client.DescribeTableAsync(table)).Table.ProvisionedThroughput;
        Assert.Equal((4, 16, 16), (described.NumberOfDecreasesToday, described.ReadCapacityUnits, described.WriteCapacityUnits));

        var error = await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.LimitExceededException>(() =>
            _client.UpdateTableAsync(new UpdateTableRequest { TableName = table, ProvisionedThroughput = new ProvisionedThroughput(15, 15) }));
        Assert.StartsWith("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "
            + "After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: 4.",
            error.Message);
        // An increase is always allowed.
        await _client.UpdateTableAsync(new UpdateTableRequest { TableName = table, ProvisionedThroughput = new ProvisionedThroughput(30, 30) });
    }

    [Fact]
    public async Task A_throttled_global_index_refuses_writes_to_its_base_table()
    {
        var name = "capacity-gsi-" + Guid.NewGuid().ToString("N")[..8];
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S), new AttributeDefinition("v", ScalarAttributeType.S)],
            ProvisionedThroughput = new ProvisionedThroughput(100, 1000),
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex
            {
                IndexName = "byV", KeySchema = [new KeySchemaElement("v", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL },
                ProvisionedThroughput = new ProvisionedThroughput(5, 2),
            }],
        });
        // The index's 2 WCU (and one second of burst) give out long before the table's 1000.
        ProvisionedThroughputExceededException? refusal = null;
        for (var i = 0; i < 200 && refusal is null; i++)
            refusal = await Record.ExceptionAsync(() => _client.PutItemAsync(Put(name, $"k{i}"))) as ProvisionedThroughputExceededException;
        Assert.NotNull(refusal);
        Assert.StartsWith("The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded.", refusal.Message);

        // A write the index does not see (no index key) costs the index nothing, and goes through.
        await _client.PutItemAsync(new PutItemRequest { TableName = name, Item = new() { ["id"] = new("no-index-key") } });
    }

    [Fact]
    public async Task With_capacity_off_a_provisioned_table_takes_writes_beyond_its_units()
    {
        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--in-memory", "--burst-seconds", "1", "--capacity", "off"]);
        await app.StartAsync();
        try
        {
            using var client = ServerFixture.CreateClient(ServerHost.GetEndpoint(app));
            var name = "uncapped-" + Guid.NewGuid().ToString("N")[..8];
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = name,
                KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
                ProvisionedThroughput = new ProvisionedThroughput(1, 1),
            });
            // 1 WCU with one second of burst would refuse most of these at once.
            for (var i = 0; i < 100; i++) await client.PutItemAsync(Put(name, $"k{i}"));
            Assert.Equal(100, (await client.ScanAsync(new ScanRequest { TableName = name })).Count);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
