using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class BatchGetItemTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = S(pk) };

    private async Task<string> TableWithItemsAsync(int count, int valueBytes = 10)
    {
        var table = await CreateAsync(Client);
        for (var start = 0; start < count; start += 25)
            await Client.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new()
                {
                    [table] = Enumerable.Range(start, Math.Min(25, count - start)).Select(i => new WriteRequest
                    {
                        PutRequest = new PutRequest { Item = new() { ["pk"] = S($"k{i}"), ["v"] = S(new string('v', valueBytes)), ["n"] = N(i.ToString()) } },
                    }).ToList(),
                },
            });
        return table;
    }

    [Fact]
    public async Task BatchGetItem_returns_existing_items_of_every_table_and_skips_missing_keys()
    {
        var first = await TableWithItemsAsync(30);
        var second = await TableWithItemsAsync(3);
        var response = await Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [first] = new KeysAndAttributes { Keys = [.. Enumerable.Range(0, 30).Select(i => Key($"k{i}")), Key("missing")] },
                [second] = new KeysAndAttributes { Keys = [Key("missing")], ConsistentRead = true },
            },
        });
        Assert.Equal(30, response.Responses[first].Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"k{i}").Order(), response.Responses[first].Select(i => i["pk"].S).Order());
        Assert.Empty(response.Responses[second]);
        Assert.Empty(response.UnprocessedKeys);
    }

    [Fact]
    public async Task BatchGetItem_applies_each_tables_ProjectionExpression_and_names()
    {
        var table = await TableWithItemsAsync(2);
        var response = await Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [table] = new KeysAndAttributes
                {
                    Keys = [Key("k0"), Key("k1")],
                    ProjectionExpression = "#n",
                    ExpressionAttributeNames = new() { ["#n"] = "n" },
                },
            },
        });
        Assert.All(response.Responses[table], item => Assert.Equal(["n"], item.Keys));
    }

    [Fact]
    public async Task BatchGetItem_rejects_duplicate_keys()
    {
        var table = await TableWithItemsAsync(1);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [table] = new KeysAndAttributes { Keys = [Key("k0"), Key("x"), Key("k0")] } },
        }));
        Assert.Equal("Provided list of item keys contains duplicates", error.Message);
    }

    [Fact]
    public async Task BatchGetItem_with_more_than_100_keys_across_tables_is_too_many()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [first] = new KeysAndAttributes { Keys = Enumerable.Range(0, 60).Select(i => Key($"k{i}")).ToList() },
                [second] = new KeysAndAttributes { Keys = Enumerable.Range(0, 60).Select(i => Key($"k{i}")).ToList() },
            },
        }));
        Assert.Equal("Too many items requested for the BatchGetItem call", error.Message);
    }

    [Fact]
    public async Task BatchGetItem_key_not_matching_the_schema_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [table] = new KeysAndAttributes { Keys = [new() { ["pk"] = N("1") }] } },
        }));
        Assert.Equal("The provided key element does not match the schema", error.Message);
    }

    [Fact]
    public async Task BatchGetItem_of_a_missing_table_is_ResourceNotFound()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { ["no-such-table"] = new KeysAndAttributes { Keys = [Key("a")] } },
        }));
    }

    [Fact]
    public async Task BatchGetItem_returns_UnprocessedKeys_once_the_response_passes_16_MB()
    {
        // 100 items of ~300 KB: DynamoDB's own example returns 52 of them and the rest as UnprocessedKeys.
        var table = await TableWithItemsAsync(100, valueBytes: 300 * 1024);
        var keys = Enumerable.Range(0, 100).Select(i => Key($"k{i}")).ToList();
        var response = await Client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [table] = new KeysAndAttributes { Keys = keys } } });

        var returned = response.Responses[table].Count;
        Assert.InRange(returned, 50, 56);
        var unprocessed = response.UnprocessedKeys[table].Keys;
        Assert.Equal(100 - returned, unprocessed.Count);

        var again = await Client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = response.UnprocessedKeys });
        Assert.Equal(100, returned + again.Responses[table].Count);
        Assert.Empty(again.UnprocessedKeys);
        Assert.Equal(100, response.Responses[table].Concat(again.Responses[table]).Select(i => i["pk"].S).Distinct().Count());
    }
}
