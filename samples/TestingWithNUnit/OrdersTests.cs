using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using NUnit.Framework;
using OrleansDynamo.Testing;

namespace OrleansDynamo.Samples.TestingWithNUnit;

/// <summary>
/// The same tests with NUnit: one server for the run, a scope per test opened in SetUp and disposed in TearDown.
/// A suite that runs tests one at a time can call <see cref="DynamoDbTestServer.ResetAsync"/> instead of using scopes.
/// </summary>
[Parallelizable(ParallelScope.All)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class OrdersTests
{
    private DynamoDbTestScope _test = null!;

    private string Orders => _test.TableName("Orders");

    [SetUp]
    public async Task CreateTableAsync()
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

    [TearDown]
    public async Task DeleteTablesAsync() => await _test.DisposeAsync();

    [Test]
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
        Assert.That(orders.Items.Select(item => item["OrderId"].N), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [Test]
    public async Task A_duplicate_order_is_refused()
    {
        var order = new PutItemRequest
        {
            TableName = Orders,
            Item = new() { ["Customer"] = new("bob"), ["OrderId"] = new() { N = "1" } },
            ConditionExpression = "attribute_not_exists(OrderId)",
        };
        await _test.Client.PutItemAsync(order);
        Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _test.Client.PutItemAsync(order));
    }

    [Test]
    public async Task Another_tests_orders_are_in_a_table_of_its_own_deleted_with_its_scope()
    {
        var server = await DynamoDbTestServer.SharedAsync();
        var other = server.BeginTest();
        var theirs = other.TableName("Orders");
        await other.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = theirs,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("Customer", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("Customer", ScalarAttributeType.S)],
        });
        await other.Client.PutItemAsync(theirs, new() { ["Customer"] = new("carol") });

        Assert.That(theirs, Is.Not.EqualTo(Orders));
        Assert.That((await _test.Client.ScanAsync(new ScanRequest { TableName = Orders })).Count, Is.EqualTo(0));
        await other.DisposeAsync();
        Assert.ThrowsAsync<ResourceNotFoundException>(() => _test.Client.DescribeTableAsync(theirs));
    }
}
