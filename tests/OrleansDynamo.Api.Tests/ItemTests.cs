using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class ItemTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    [Fact]
    public async Task PutItem_then_GetItem_returns_every_type()
    {
        var table = await CreateAsync(Client);
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S("all-types"),
            ["s"] = S("text"),
            ["n"] = N("123.4500"),
            ["b"] = new() { B = new MemoryStream([1, 2, 3]) },
            ["ss"] = new() { SS = ["x", "y"] },
            ["ns"] = new() { NS = ["1", "2.5"] },
            ["bs"] = new() { BS = [new MemoryStream([9])] },
            ["m"] = new() { M = new() { ["inner"] = S("v") } },
            ["l"] = new() { L = [S("a"), N("1")] },
            ["null"] = new() { NULL = true },
            ["bool"] = new() { BOOL = false },
        };
        await Client.PutItemAsync(table, item);

        var got = (await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = S("all-types") }, ConsistentRead = true })).Item;
        Assert.Equal("text", got["s"].S);
        Assert.Equal("123.45", got["n"].N);
        Assert.Equal([1, 2, 3], got["b"].B.ToArray());
        Assert.Equal(["x", "y"], got["ss"].SS.Order());
        Assert.Equal(["1", "2.5"], got["ns"].NS.Order());
        Assert.Equal([9], got["bs"].BS[0].ToArray());
        Assert.Equal("v", got["m"].M["inner"].S);
        Assert.Equal("a", got["l"].L[0].S);
        Assert.True(got["null"].NULL);
        Assert.False(got["bool"].BOOL);
    }

    [Fact]
    public async Task Numbers_are_keys_by_value_not_by_spelling()
    {
        var table = await CreateAsync(Client, hashKeyType: "N");
        await Client.PutItemAsync(table, new() { ["pk"] = N("1.0"), ["v"] = S("first") });
        await Client.PutItemAsync(table, new() { ["pk"] = N("1e0"), ["v"] = S("second") });

        var got = await Client.GetItemAsync(table, new() { ["pk"] = N("1") });
        Assert.Equal("second", got.Item["v"].S);
        Assert.Equal(1, (await Client.ScanAsync(new ScanRequest { TableName = table })).Count);
    }

    [Fact]
    public async Task GetItem_of_missing_item_returns_no_item()
    {
        var table = await CreateAsync(Client);
        var got = await Client.GetItemAsync(table, new() { ["pk"] = S("none") });
        Assert.False(got.IsItemSet);
    }

    [Fact]
    public async Task GetItem_with_ProjectionExpression_returns_only_those_attributes()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("p"), ["a"] = S("1"), ["b"] = S("2"), ["c"] = S("3") });
        var got = await Client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("p") },
            ProjectionExpression = "a, #c",
            ExpressionAttributeNames = new() { ["#c"] = "c" },
        });
        Assert.Equal(["a", "c"], got.Item.Keys.Order());
    }

    [Fact]
    public async Task PutItem_with_failed_condition_leaves_item_unchanged()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["v"] = S("original") });

        var error = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S("k"), ["v"] = S("replaced") },
            ConditionExpression = "attribute_not_exists(pk)",
        }));
        Assert.Equal("The conditional request failed", error.Message);
        Assert.Equal("original", (await Client.GetItemAsync(table, new() { ["pk"] = S("k") })).Item["v"].S);
    }

    [Fact]
    public async Task PutItem_condition_with_comparison_succeeds_when_true()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["version"] = N("1") });
        await Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S("k"), ["version"] = N("2") },
            ConditionExpression = "version = :expected AND attribute_exists(pk)",
            ExpressionAttributeValues = new() { [":expected"] = N("1") },
        });
        Assert.Equal("2", (await Client.GetItemAsync(table, new() { ["pk"] = S("k") })).Item["version"].N);
    }

    [Fact]
    public async Task PutItem_ReturnValues_ALL_OLD_returns_replaced_item()
    {
        var table = await CreateAsync(Client);
        var first = await Client.PutItemAsync(new PutItemRequest { TableName = table, Item = new() { ["pk"] = S("k"), ["v"] = S("1") }, ReturnValues = ReturnValue.ALL_OLD });
        Assert.Null(first.Attributes);
        var second = await Client.PutItemAsync(new PutItemRequest { TableName = table, Item = new() { ["pk"] = S("k"), ["v"] = S("2") }, ReturnValues = ReturnValue.ALL_OLD });
        Assert.Equal("1", second.Attributes["v"].S);
    }

    [Fact]
    public async Task PutItem_ReturnValues_ALL_NEW_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S("k") },
            ReturnValues = ReturnValue.ALL_NEW,
        }));
        Assert.Equal("ReturnValues can only be ALL_OLD or NONE", error.Message);
    }

    [Fact]
    public async Task PutItem_missing_key_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, new() { ["other"] = S("x") }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("One or more parameter values were invalid: Missing the key pk in the item", error.Message);
    }

    [Fact]
    public async Task PutItem_key_of_wrong_type_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, new() { ["pk"] = N("1") }));
        Assert.Equal("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N", error.Message);
    }

    [Fact]
    public async Task PutItem_empty_string_key_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, new() { ["pk"] = S("") }));
        Assert.Equal("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk", error.Message);
    }

    [Fact]
    public async Task PutItem_over_400_KB_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, new() { ["pk"] = S("big"), ["v"] = S(new string('x', 400 * 1024)) }));
        Assert.Equal("Item size has exceeded the maximum allowed size", error.Message);
    }

    [Fact]
    public async Task PutItem_to_missing_table_is_ResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.PutItemAsync("no-such-table", new() { ["pk"] = S("x") }));
        Assert.Equal("Requested resource not found", error.Message);
    }

    [Fact]
    public async Task GetItem_with_wrong_key_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.GetItemAsync(table, new() { ["pk"] = S("x"), ["sk"] = S("y") }));
        Assert.Equal("The provided key element does not match the schema", error.Message);
    }

    [Fact]
    public async Task DeleteItem_removes_item_and_returns_it_with_ALL_OLD()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        var key = new Dictionary<string, AttributeValue> { ["pk"] = S("a"), ["sk"] = N("1") };
        await Client.PutItemAsync(table, new(key) { ["v"] = S("gone") });

        var deleted = await Client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = key, ReturnValues = ReturnValue.ALL_OLD });
        Assert.Equal("gone", deleted.Attributes["v"].S);
        Assert.False((await Client.GetItemAsync(table, key)).IsItemSet);
    }

    [Fact]
    public async Task DeleteItem_with_failed_condition_keeps_item()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["state"] = S("active") });
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("k") },
            ConditionExpression = "#s = :done",
            ExpressionAttributeNames = new() { ["#s"] = "state" },
            ExpressionAttributeValues = new() { [":done"] = S("done") },
        }));
        Assert.True((await Client.GetItemAsync(table, new() { ["pk"] = S("k") })).IsItemSet);
    }

    [Fact]
    public async Task UpdateItem_SET_and_REMOVE_with_ALL_NEW()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["retired"] = S("x"), ["count"] = N("1") });

        var updated = await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("k") },
            UpdateExpression = "SET title = :t, #c = #c + :one REMOVE retired",
            ExpressionAttributeNames = new() { ["#c"] = "count" },
            ExpressionAttributeValues = new() { [":t"] = S("hello"), [":one"] = N("1") },
            ReturnValues = ReturnValue.ALL_NEW,
        });
        Assert.Equal("hello", updated.Attributes["title"].S);
        Assert.Equal("2", updated.Attributes["count"].N);
        Assert.False(updated.Attributes.ContainsKey("retired"));
    }

    [Fact]
    public async Task UpdateItem_creates_missing_item_and_returns_ALL_OLD_empty()
    {
        var table = await CreateAsync(Client);
        var result = await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("new") },
            UpdateExpression = "SET v = :v",
            ExpressionAttributeValues = new() { [":v"] = N("10") },
            ReturnValues = ReturnValue.ALL_OLD,
        });
        Assert.Null(result.Attributes);
        var got = await Client.GetItemAsync(table, new() { ["pk"] = S("new") });
        Assert.Equal("10", got.Item["v"].N);
    }

    [Fact]
    public async Task UpdateItem_of_key_attribute_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("k") },
            UpdateExpression = "SET pk = :v",
            ExpressionAttributeValues = new() { [":v"] = S("other") },
        }));
        Assert.Equal("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key", error.Message);
    }

    [Fact]
    public async Task UpdateItem_with_failed_condition_returns_old_item_when_asked()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["v"] = N("5") });
        var error = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("k") },
            UpdateExpression = "SET v = :new",
            ConditionExpression = "v > :min",
            ExpressionAttributeValues = new() { [":new"] = N("1"), [":min"] = N("10") },
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        }));
        Assert.Equal("5", error.Item["v"].N);
        Assert.Equal("5", (await Client.GetItemAsync(table, new() { ["pk"] = S("k") })).Item["v"].N);
    }

    [Fact]
    public async Task Unused_expression_attribute_value_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S("k") },
            ConditionExpression = "attribute_not_exists(pk)",
            ExpressionAttributeValues = new() { [":unused"] = S("x") },
        }));
        Assert.Equal("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}", error.Message);
    }

    [Fact]
    public async Task Invalid_number_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["n"] = N("1e200") }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("Number overflow. Attempting to store a number with magnitude larger than supported range", error.Message);
    }

    [Fact]
    public async Task Concurrent_conditional_increments_lose_nothing()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("counter"), ["n"] = N("0") });
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("counter") },
            UpdateExpression = "SET n = n + :one",
            ConditionExpression = "attribute_exists(n)",
            ExpressionAttributeValues = new() { [":one"] = N("1") },
        })));
        Assert.Equal("50", (await Client.GetItemAsync(table, new() { ["pk"] = S("counter") })).Item["n"].N);
    }
}
