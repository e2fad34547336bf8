using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Xunit.Abstractions;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Global index delivery across kill -9: the outbox is committed with the items, so after a restart the
/// index converges to exactly the table's contents, whatever was in flight when the process died.
/// </summary>
public sealed class IndexKillRestartTests(ITestOutputHelper output)
{
    private const int Keys = 500;
    private const int Writers = 16;
    private const int KillAfterWrites = 3_000;
    private const string Table = "indexed";

    [Fact]
    public async Task Global_index_converges_to_the_table_after_kill_9_during_writes()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "odyn-index-kill-" + Guid.NewGuid().ToString("N"));
        string[] storage = ["--data-dir", dataDirectory];
        try
        {
            await using (var server = await ServerProcess.StartAsync(storage))
            try
            {
                using var client = server.CreateClient();
                await client.CreateTableAsync(new CreateTableRequest
                {
                    TableName = Table,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                    AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("g", ScalarAttributeType.S)],
                    GlobalSecondaryIndexes =
                    [
                        new GlobalSecondaryIndex
                        {
                            IndexName = "byG",
                            KeySchema = [new KeySchemaElement("g", KeyType.HASH), new KeySchemaElement("pk", KeyType.RANGE)],
                            Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["v"] },
                        },
                    ],
                });
                var writes = 0;
                using var stop = new CancellationTokenSource();
                var load = Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
                {
                    var random = new Random(writer);
                    while (!stop.IsCancellationRequested)
                    {
                        var key = $"k{random.Next(Keys)}";
                        try
                        {
                            // Puts move items between index keys, removes make them leave the index, deletes remove them.
                            switch (random.Next(10))
                            {
                                case < 6:
                                    await client.PutItemAsync(Table, new()
                                    {
                                        ["pk"] = new() { S = key }, ["g"] = new() { S = $"g{random.Next(20)}" }, ["v"] = new() { N = $"{random.Next()}" },
                                    });
                                    break;
                                case < 8:
                                    await client.UpdateItemAsync(new UpdateItemRequest
                                    {
                                        TableName = Table, Key = new() { ["pk"] = new() { S = key } }, UpdateExpression = "REMOVE g",
                                    });
                                    break;
                                default:
                                    await client.DeleteItemAsync(Table, new() { ["pk"] = new() { S = key } });
                                    break;
                            }
                            Interlocked.Increment(ref writes);
                        }
                        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                        {
                            return;
                        }
                    }
                })));
                while (Volatile.Read(ref writes) < KillAfterWrites && !load.IsCompleted) await Task.Delay(5);
                await server.KillAsync();
                stop.Cancel();
                await load;
            }
            catch (AmazonServiceException e)
            {
                throw new InvalidOperationException("The server failed:\n" + server.Output, e);
            }

            await using var restarted = await ServerProcess.StartAsync(storage);
            try
            {
                using var client = restarted.CreateClient();
                var table = await ScanAsync(client, null);
                var expected = table.Where(i => i.ContainsKey("g")).Select(Entry).Order().ToList();
                var clock = Stopwatch.StartNew();
                List<string> index;
                do
                {
                    index = (await ScanAsync(client, "byG")).Select(Entry).Order().ToList();
                    if (index.SequenceEqual(expected)) break;
                    await Task.Delay(100);
                } while (clock.Elapsed < TimeSpan.FromSeconds(60));
                output.WriteLine($"{table.Count} items, {expected.Count} in the index; converged {clock.Elapsed.TotalSeconds:F2} s after restart");
                Assert.Equal(expected, index);
            }
            catch (AmazonServiceException e)
            {
                throw new InvalidOperationException("The restarted server failed:\n" + restarted.Output, e);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static string Entry(Dictionary<string, AttributeValue> item) => $"{item["pk"].S}|{item["g"].S}|{item["v"].N}";

    private static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(IAmazonDynamoDB client, string? index)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = Table, IndexName = index, ExclusiveStartKey = start, ConsistentRead = index is null });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        return items;
    }
}
