using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// Global secondary indexes whose keys span several attributes (up to four partition and four sort key attributes),
/// after the developer guide's multi-attribute keys: sparse, queried with equality on every partition key
/// attribute and on the sort key attributes from the left, the last one given with any sort key condition.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MultiAttributeKeyTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static readonly List<KeySchemaElement> MatchKeys =
        [new("cupId", KeyType.HASH), new("areaCode", KeyType.HASH), new("stageName", KeyType.RANGE), new("sideName", KeyType.RANGE), new("seqNo", KeyType.RANGE)];

    private async Task<string> MatchesTableAsync(bool withIndex = true)
    {
        var name = NewName();
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = withIndex
                ? [new("id", "S"), new("cupId", "S"), new("areaCode", "S"), new("stageName", "S"), new("sideName", "S"), new("seqNo", "N")]
                : [new("id", "S")],
            KeySchema = [new("id", KeyType.HASH)],
            GlobalSecondaryIndexes = withIndex ? [new GlobalSecondaryIndex { IndexName = "byMatch", KeySchema = MatchKeys, Projection = new Projection { ProjectionType = "ALL" } }] : null,
        });
        var id = 0;
        foreach (var areaCode in new[] { "eu", "us" })
            foreach (var round in new[] { "final", "semi" })
                foreach (var sideName in new[] { "lower", "upper" })
                    for (var seq = 1; seq <= 3; seq++)
                        await Client.PutItemAsync(name, new()
                        {
                            ["id"] = S($"m{id++}"), ["cupId"] = S("w24"), ["areaCode"] = S(areaCode), ["stageName"] = S(round), ["sideName"] = S(sideName), ["seqNo"] = N($"{seq}"),
                        });
        // Sparse: an item without every key attribute is not in the index.
        await Client.PutItemAsync(name, new() { ["id"] = S("partial"), ["cupId"] = S("w24"), ["areaCode"] = S("eu"), ["stageName"] = S("final") });
        return name;
    }

    private async Task<List<string>> QueryAsync(string table, string condition, Dictionary<string, AttributeValue> values, int? limit = null)
    {
        var found = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await Client.QueryAsync(new QueryRequest
            {
                TableName = table, IndexName = "byMatch", KeyConditionExpression = condition, ExpressionAttributeValues = values, Limit = limit,
                ExclusiveStartKey = start,
            });
            found.AddRange(page.Items.Select(i => $"{i["stageName"].S}/{i["sideName"].S}/{i["seqNo"].N}"));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return found;
    }

    [Fact]
    public async Task Queries_fix_every_partition_key_attribute_and_sort_key_attributes_from_the_left()
    {
        var table = await MatchesTableAsync();
        var eu = new Dictionary<string, AttributeValue> { [":t"] = S("w24"), [":r"] = S("eu") };
        Assert.Equal(12, (await QueryAsync(table, "cupId = :t AND areaCode = :r", eu)).Count);
        Assert.Equal(["semi/lower/1", "semi/lower/2", "semi/lower/3", "semi/upper/1", "semi/upper/2", "semi/upper/3"],
            await QueryAsync(table, "cupId = :t AND areaCode = :r AND stageName = :round", new(eu) { [":round"] = S("semi") }));
        Assert.Equal(["final/upper/2", "final/upper/3"],
            await QueryAsync(table, "cupId = :t AND areaCode = :r AND stageName = :round AND sideName = :b AND seqNo >= :s",
                new(eu) { [":round"] = S("final"), [":b"] = S("upper"), [":s"] = N("2") }));
        Assert.Equal(["final/lower/1", "final/lower/2", "final/lower/3"],
            await QueryAsync(table, "cupId = :t AND areaCode = :r AND stageName = :round AND begins_with(sideName, :b)",
                new(eu) { [":round"] = S("final"), [":b"] = S("l") }));
        // Paging through LastEvaluatedKey, one item at a time.
        Assert.Equal(6, (await QueryAsync(table, "cupId = :t AND areaCode = :r AND stageName = :round", new(eu) { [":round"] = S("final") }, limit: 1)).Count);
        // Another partition of the index.
        Assert.Equal(12, (await QueryAsync(table, "cupId = :t AND areaCode = :r", new() { [":t"] = S("w24"), [":r"] = S("us") })).Count);
    }

    [Fact]
    public async Task Key_conditions_that_break_the_rules_are_refused()
    {
        var table = await MatchesTableAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryAsync(table, "cupId = :t", new() { [":t"] = S("w24") }));
        Assert.Equal("Query condition missed key schema element: areaCode", error.Message);
        error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryAsync(table, "cupId = :t AND areaCode = :r AND sideName = :b",
            new() { [":t"] = S("w24"), [":r"] = S("eu"), [":b"] = S("upper") }));
        Assert.StartsWith("Query key condition not supported", error.Message);
        error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryAsync(table, "cupId = :t AND areaCode = :r AND stageName > :x AND sideName = :b",
            new() { [":t"] = S("w24"), [":r"] = S("eu"), [":x"] = S("a"), [":b"] = S("upper") }));
        Assert.StartsWith("Query key condition not supported", error.Message);
        error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryAsync(table, "cupId = :t AND areaCode = :r AND seqNo = :s AND stageName = :x AND sideName = :b",
            new() { [":t"] = S("w24"), [":r"] = N("1"), [":x"] = S("a"), [":b"] = S("upper"), [":s"] = N("1") }));
        Assert.Equal("One or more parameter values were invalid: Condition parameter type does not match schema type", error.Message);
    }

    [Fact]
    public async Task A_multi_attribute_index_added_online_is_backfilled_and_its_schema_is_checked()
    {
        var table = await MatchesTableAsync(withIndex: false);
        await Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new("cupId", "S"), new("areaCode", "S"), new("stageName", "S"), new("sideName", "S"), new("seqNo", "N")],
            GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Create = new CreateGlobalSecondaryIndexAction { IndexName = "byMatch", KeySchema = MatchKeys, Projection = new Projection { ProjectionType = "ALL" } } }],
        });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Client.DescribeTableAsync(table)).Table.GlobalSecondaryIndexes[0].IndexStatus != IndexStatus.ACTIVE && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(12, (await QueryAsync(table, "cupId = :t AND areaCode = :r", new() { [":t"] = S("w24"), [":r"] = S("eu") })).Count);
        var described = (await Client.DescribeTableAsync(table)).Table.GlobalSecondaryIndexes[0];
        Assert.Equal(["HASH", "HASH", "RANGE", "RANGE", "RANGE"], described.KeySchema.Select(k => k.KeyType.Value));

        var tooMany = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = NewName(), BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("id", "S"), new("a", "S"), new("b", "S"), new("c", "S"), new("d", "S"), new("e", "S")],
            KeySchema = [new("id", KeyType.HASH)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex
            {
                IndexName = "wide", KeySchema = [new("a", KeyType.HASH), new("b", KeyType.HASH), new("c", KeyType.HASH), new("d", KeyType.HASH), new("e", KeyType.HASH)],
                Projection = new Projection { ProjectionType = "ALL" },
            }],
        }));
        Assert.Equal("Invalid KeySchema: a partition or sort key may have at most 4 attributes", tooMany.Message);
    }
}
