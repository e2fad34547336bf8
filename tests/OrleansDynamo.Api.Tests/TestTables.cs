using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Api.Tests;

/// <summary>Creates uniquely named tables so tests sharing one server never see each other's data.</summary>
public static class TestTables
{
    public static string NewName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A pay-per-request table with a string hash key <c>pk</c>, under the given name.</summary>
    public static Task CreateAsyncNamed(IAmazonDynamoDB client, string name) => client.CreateTableAsync(new CreateTableRequest
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
    });

    /// <summary>A table with a string hash key <c>pk</c> and, when asked, a range key <c>sk</c> of the given type.</summary>
    public static async Task<string> CreateAsync(IAmazonDynamoDB client, string? rangeKeyType = null, string hashKeyType = "S")
    {
        var name = NewName();
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", hashKeyType)],
        };
        if (rangeKeyType is not null)
        {
            request.KeySchema.Add(new KeySchemaElement("sk", KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition("sk", rangeKeyType));
        }
        await client.CreateTableAsync(request);
        return name;
    }

    public static AttributeValue S(string value) => new() { S = value };
    public static AttributeValue N(string value) => new() { N = value };
}
