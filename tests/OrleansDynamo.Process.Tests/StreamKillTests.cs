using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.Tests;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Stream records under kill -9, with real processes, on both durable stores: counters are incremented by
/// concurrent writers and the server is killed mid-stream. After the restart, each counter's records carry
/// 1, 2, 3, ... with no gap and no repeat (order per item), reach at least every acknowledged value, and end at the
/// item's value: no write without its record, no record without its write.
/// </summary>
public sealed class StreamKillTests
{
    private const string Table = "counters";

    [Fact]
    public async Task Embedded_store_keeps_every_record_with_its_write_across_kill_9()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "odyn-streamkill-" + Guid.NewGuid().ToString("N"));
        try
        {
            await KilledWhileWritingAsync(["--data-dir", dataDirectory]);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_store_keeps_every_record_with_its_write_across_kill_9()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await KilledWhileWritingAsync(["--storage", "postgres", "--postgres", await postgres.CreateDatabaseAsync("stream_kill")]);
    }

    private static async Task KilledWhileWritingAsync(string[] storage)
    {
        var acknowledged = new ConcurrentDictionary<string, int>();
        await using (var server = await ServerProcess.StartAsync(["--initial-partitions", "4", .. storage]))
        {
            using var client = server.CreateClient();
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
                StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
            });
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"c{(w * 7 + i) % 40}";
                    try
                    {
                        var result = await client.UpdateItemAsync(new UpdateItemRequest
                        {
                            TableName = Table, Key = new() { ["pk"] = new AttributeValue(key) },
                            UpdateExpression = "ADD v :one", ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" } },
                            ReturnValues = ReturnValue.UPDATED_NEW,
                        });
                        var version = int.Parse(result.Attributes["v"].N);
                        acknowledged.AddOrUpdate(key, version, (_, old) => Math.Max(old, version));
                    }
                    catch (Exception) when (stop.IsCancellationRequested || server.HasExited)
                    {
                        return;
                    }
                    catch (Exception) // the kill: this write may or may not have happened
                    {
                        return;
                    }
                }
            })).ToArray();
            while (acknowledged.Values.Sum() < 600 && !writers.All(w => w.IsCompleted)) await Task.Delay(10);
            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(writers);
        }
        Assert.True(acknowledged.Values.Sum() >= 600, $"only {acknowledged.Values.Sum()} writes were acknowledged before the kill");

        await using var restarted = await ServerProcess.StartAsync(["--initial-partitions", "4", .. storage]);
        using var after = restarted.CreateClient();
        using var streams = StreamsSdk.Start(new Uri($"http://127.0.0.1:{restarted.Port}"));
        var arn = (await after.DescribeTableAsync(Table)).Table.LatestStreamArn;
        var versions = new Dictionary<string, List<int>>();
        foreach (var record in await StreamTestReader.ReadAllAsync(streams, arn))
        {
            var key = record["dynamodb"]!["Keys"]!["pk"]!["S"]!.GetValue<string>();
            var version = int.Parse(record["dynamodb"]!["NewImage"]!["v"]!["N"]!.GetValue<string>());
            (versions.TryGetValue(key, out var list) ? list : versions[key] = []).Add(version);
        }
        foreach (var (key, acked) in acknowledged)
        {
            var item = await after.GetItemAsync(new GetItemRequest { TableName = Table, Key = new() { ["pk"] = new AttributeValue(key) }, ConsistentRead = true });
            var current = int.Parse(item.Item["v"].N);
            Assert.True(current >= acked, $"{key}: acknowledged {acked}, stored {current}");
            Assert.Equal(Enumerable.Range(1, current), versions[key]);
        }
    }
}
