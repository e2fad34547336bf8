using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.Testing;

namespace OrleansDynamo.Samples.TestingWithXunit;

/// <summary>
/// Tests of code that uses DynamoDB, against OrleansDynamo in the test process: one server for the whole run
/// (<see cref="DynamoDbTestServer.SharedAsync"/>), and each test in a scope of its own, so tests run in parallel
/// without seeing each other's tables.
/// </summary>
public sealed class OrdersTests : IAsyncLifetime
{
    private DynamoDbTestScope _test = null!;

    private string Orders => _test.TableName("Orders");

    public async Task InitializeAsync()
    {
        _test = (await DynamoDbTestServer.SharedAsync()).BeginTest();
        await _test.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = Orders,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("Customer", KeyType.HASH), new KeySchemaElement("OrderId", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("Customer", ScalarAttributeType.S), new AttributeDefinition("OrderId", ScalarAttributeType.N)],
        });
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task A_customers_orders_come_back_in_order()
    {
        foreach (var id in new[] { 3, 1, 2 })
            await _test.Client.PutItemAsync(Orders, new() { ["Customer"] = new("alice"), ["OrderId"] = new() { N = id.ToString() } });

        var orders = await _test.Client.QueryAsync(new QueryRequest
        {
            TableName = Orders,
            KeyConditionExpression = "Customer = :c",
            ExpressionAttributeValues = new() { [":c"] = new("alice") },
        });
        Assert.Equal(["1", "2", "3"], orders.Items.Select(item => item["OrderId"].N));
    }

    [Fact]
    public async Task A_duplicate_order_is_refused()
    {
        var order = new PutItemRequest
        {
            TableName = Orders,
            Item = new() { ["Customer"] = new("bob"), ["OrderId"] = new() { N = "1" } },
            ConditionExpression = "attribute_not_exists(OrderId)",
        };
        await _test.Client.PutItemAsync(order);
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _test.Client.PutItemAsync(order));
    }
}
