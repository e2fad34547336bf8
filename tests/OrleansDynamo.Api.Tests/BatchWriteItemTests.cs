using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class BatchWriteItemTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static WriteRequest Put(string pk, string? value = null)
    {
        var item = new Dictionary<string, AttributeValue> { ["pk"] = S(pk) };
        if (value is not null) item["v"] = S(value);
        return new WriteRequest { PutRequest = new PutRequest { Item = item } };
    }

    private static WriteRequest Delete(string pk) => new() { DeleteRequest = new DeleteRequest { Key = new() { ["pk"] = S(pk) } } };

    private async Task<AmazonDynamoDBException> RejectedAsync(Dictionary<string, List<WriteRequest>> requestItems) =>
        await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = requestItems }));

    [Fact]
    public async Task BatchWriteItem_puts_and_deletes_across_tables_and_leaves_nothing_unprocessed()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        await Client.PutItemAsync(first, new() { ["pk"] = S("old") });

        var response = await Client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [first] = [Put("a", "1"), Put("b", "2"), Delete("old")],
                [second] = [Put("c", "3")],
            },
        });

        Assert.Empty(response.UnprocessedItems);
        Assert.Equal("1", (await Client.GetItemAsync(first, new() { ["pk"] = S("a") })).Item["v"].S);
        Assert.Equal("2", (await Client.GetItemAsync(first, new() { ["pk"] = S("b") })).Item["v"].S);
        Assert.False((await Client.GetItemAsync(first, new() { ["pk"] = S("old") })).IsItemSet);
        Assert.Equal("3", (await Client.GetItemAsync(second, new() { ["pk"] = S("c") })).Item["v"].S);
    }

    [Fact]
    public async Task BatchWriteItem_with_25_requests_spread_over_partitions_writes_all_of_them()
    {
        var table = await CreateAsync(Client);
        await Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = Enumerable.Range(0, 25).Select(i => Put($"k{i}")).ToList() } });
        var scan = await Client.ScanAsync(new ScanRequest { TableName = table });
        Assert.Equal(25, scan.Count);
    }

    [Fact]
    public async Task BatchWriteItem_with_26_requests_for_one_table_is_a_constraint_violation()
    {
        var table = await CreateAsync(Client);
        var error = await RejectedAsync(new() { [table] = Enumerable.Range(0, 26).Select(i => Put($"k{i}")).ToList() });
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.StartsWith("1 validation error detected: Value '{", error.Message);
        Assert.EndsWith("' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]", error.Message);
    }

    [Fact]
    public async Task BatchWriteItem_with_more_than_25_requests_across_tables_is_too_many()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        var error = await RejectedAsync(new()
        {
            [first] = Enumerable.Range(0, 13).Select(i => Put($"k{i}")).ToList(),
            [second] = Enumerable.Range(0, 13).Select(i => Put($"k{i}")).ToList(),
        });
        Assert.Equal("Too many items requested for the BatchWriteItem call", error.Message);
        Assert.Equal(0, (await Client.ScanAsync(new ScanRequest { TableName = first })).Count);
    }

    [Fact]
    public async Task BatchWriteItem_rejects_a_put_and_a_delete_of_the_same_key_and_writes_nothing()
    {
        var table = await CreateAsync(Client);
        var error = await RejectedAsync(new() { [table] = [Put("other"), Put("same", "x"), Delete("same")] });
        Assert.Equal("Provided list of item keys contains duplicates", error.Message);
        Assert.Equal(0, (await Client.ScanAsync(new ScanRequest { TableName = table })).Count);
    }

    [Fact]
    public async Task BatchWriteItem_checks_that_tables_exist_before_looking_for_duplicates()
    {
        var error = await RejectedAsync(new() { ["no-such-table"] = [Put("same"), Delete("same")] });
        Assert.IsType<ResourceNotFoundException>(error);
    }

    [Fact]
    public async Task BatchWriteItem_with_an_item_over_400_KB_is_rejected_before_the_table_is_looked_up()
    {
        var error = await RejectedAsync(new() { ["no-such-table"] = [Put("big", new string('x', 400 * 1024))] });
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("Item size has exceeded the maximum allowed size", error.Message);
    }

    [Fact]
    public async Task BatchWriteItem_put_without_the_key_does_not_match_the_schema()
    {
        var table = await CreateAsync(Client);
        var error = await RejectedAsync(new() { [table] = [new WriteRequest { PutRequest = new PutRequest { Item = new() { ["x"] = S("a") } } }] });
        Assert.Equal("The provided key element does not match the schema", error.Message);
    }

    [Fact]
    public async Task BatchWriteItem_with_an_invalid_table_name_reports_the_map_keys_constraint()
    {
        var error = await RejectedAsync(new() { ["a"] = [Put("k")] });
        Assert.EndsWith("' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]", error.Message);
    }

    [Fact]
    public async Task BatchWriteItem_with_a_request_that_is_neither_put_nor_delete_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await RejectedAsync(new() { [table] = [new WriteRequest()] });
        Assert.Equal("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes", error.Message);
    }

    [Fact]
    public async Task BatchWriteItem_with_an_unknown_ReturnConsumedCapacity_is_a_constraint_violation()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [table] = [Put("k")] },
            ReturnConsumedCapacity = "EVERYTHING",
        }));
        Assert.Equal("1 validation error detected: Value 'EVERYTHING' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", error.Message);
    }
}
