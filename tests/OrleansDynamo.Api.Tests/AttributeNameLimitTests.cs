using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>Attribute names are 1 to 65,535 bytes at every depth; key attribute names at most 255 characters.</summary>
[Collection(ServerCollection.Name)]
public sealed class AttributeNameLimitTests(ServerFixture server)
{
    private const string TooLarge = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
    private IAmazonDynamoDB Client => server.Client;

    [Fact]
    public async Task Attribute_name_of_65535_bytes_is_accepted()
    {
        var table = await CreateAsync(Client);
        var name = new string('n', 65_535);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), [name] = S("v") });
        var item = (await Client.GetItemAsync(table, new() { ["pk"] = S("k") })).Item;
        Assert.Equal("v", item[name].S);
    }

    [Fact]
    public async Task Attribute_name_of_65536_bytes_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.PutItemAsync(table, new() { ["pk"] = S("k"), [new string('n', 65_536)] = S("v") }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(TooLarge, error.Message);
    }

    [Fact]
    public async Task Map_key_counts_its_UTF8_bytes_at_any_depth()
    {
        var table = await CreateAsync(Client);
        var name = new string('é', 32_768); // 65,536 bytes in UTF-8, though only 32,768 characters.
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, new()
        {
            ["pk"] = S("k"),
            ["outer"] = new AttributeValue { M = new() { ["inner"] = new AttributeValue { M = new() { [name] = S("v") } } } },
        }));
        Assert.Equal(TooLarge, error.Message);
    }

    [Fact]
    public async Task Update_that_sets_a_too_large_name_is_rejected_and_changes_nothing()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["v"] = S("old") });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("k") },
            UpdateExpression = "SET #n = :v, v = :v",
            ExpressionAttributeNames = new() { ["#n"] = new string('n', 65_536) },
            ExpressionAttributeValues = new() { [":v"] = S("new") },
        }));
        Assert.Equal(TooLarge, error.Message);
        Assert.Equal("old", (await Client.GetItemAsync(table, new() { ["pk"] = S("k") })).Item["v"].S);
    }

    [Fact]
    public async Task Key_attribute_name_longer_than_255_is_rejected_by_CreateTable()
    {
        var name = new string('k', 256);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = NewName(),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(name, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(name, ScalarAttributeType.S)],
        }));
        Assert.Equal(
            $"2 validation errors detected: Value '{name}' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255; " +
            $"Value '{name}' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255",
            error.Message);
    }
}
