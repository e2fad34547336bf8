using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class TableTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    [Fact]
    public async Task CreateTable_answers_CREATING_and_DescribeTable_then_ACTIVE()
    {
        var name = TestTables.NewName();
        var created = await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N)],
            ProvisionedThroughput = new ProvisionedThroughput(5, 7),
        });
        Assert.Equal(TableStatus.CREATING, created.TableDescription.TableStatus);
        Assert.Equal(name, created.TableDescription.TableName);
        Assert.Equal(5, created.TableDescription.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(7, created.TableDescription.ProvisionedThroughput.WriteCapacityUnits);
        Assert.EndsWith($":table/{name}", created.TableDescription.TableArn);

        var described = await Client.DescribeTableAsync(name);
        Assert.Equal(TableStatus.ACTIVE, described.Table.TableStatus);
        Assert.Equal(["pk", "sk"], described.Table.KeySchema.Select(k => k.AttributeName));
        Assert.Equal(KeyType.RANGE, described.Table.KeySchema[1].KeyType);
        Assert.Equal(0, described.Table.ItemCount);
    }

    [Fact]
    public async Task CreateTable_pay_per_request_reports_billing_mode()
    {
        var name = await TestTables.CreateAsync(Client);
        var table = (await Client.DescribeTableAsync(name)).Table;
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary.BillingMode);
        Assert.Equal(0, table.ProvisionedThroughput.ReadCapacityUnits);
    }

    [Fact]
    public async Task CreateTable_twice_is_ResourceInUse()
    {
        var name = await TestTables.CreateAsync(Client);
        var error = await Assert.ThrowsAsync<ResourceInUseException>(() => TestTables.CreateAsyncNamed(Client, name));
        Assert.Equal($"Table already exists: {name}", error.Message);
    }

    [Fact]
    public async Task CreateTable_with_undefined_key_attribute_is_rejected()
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = TestTables.NewName(),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("other", ScalarAttributeType.S)],
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [other]", error.Message);
    }

    [Fact]
    public async Task CreateTable_with_extra_attribute_definition_is_rejected()
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = TestTables.NewName(),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("x", ScalarAttributeType.S)],
        }));
        Assert.Equal("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions", error.Message);
    }

    [Fact]
    public async Task CreateTable_with_bad_name_lists_every_violation()
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "a;",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3", error.Message);
    }

    [Fact]
    public async Task CreateTable_provisioned_without_throughput_is_rejected()
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = TestTables.NewName(),
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        }));
        Assert.Equal("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED", error.Message);
    }

    [Fact]
    public async Task CreateTable_with_range_key_first_is_rejected()
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = TestTables.NewName(),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("sk", KeyType.RANGE), new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S)],
        }));
        Assert.Equal("Invalid KeySchema: The first KeySchemaElement is not a HASH key type", error.Message);
    }

    [Fact]
    public async Task DescribeTable_of_missing_table_is_ResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTableAsync("no-such-table"));
        Assert.Equal("Requested resource not found: Table: no-such-table not found", error.Message);
    }

    [Fact]
    public async Task ListTables_pages_with_Limit_and_ExclusiveStartTableName()
    {
        var prefix = "list-" + Guid.NewGuid().ToString("N")[..8];
        var names = new[] { $"{prefix}-a", $"{prefix}-b", $"{prefix}-c" };
        foreach (var name in names) await TestTables.CreateAsyncNamed(Client, name);

        var seen = new List<string>();
        string? start = null;
        do
        {
            var page = await Client.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = start, Limit = 2 });
            Assert.True(page.TableNames.Count <= 2);
            seen.AddRange(page.TableNames);
            start = page.LastEvaluatedTableName;
        } while (start is not null);

        Assert.Equal(names, seen.Where(n => n.StartsWith(prefix)));
        Assert.Equal(seen.OrderBy(n => n, StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task ListTables_limit_above_100_is_rejected()
    {
        var tooMany = 101; // A variable, so the SDK's analyzer lets the request be written at all.
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ListTablesAsync(new ListTablesRequest { Limit = tooMany }));
        Assert.Equal("1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", error.Message);
    }

    [Fact]
    public async Task DeleteTable_removes_table_and_its_items()
    {
        var name = await TestTables.CreateAsync(Client);
        await Client.PutItemAsync(name, new() { ["pk"] = TestTables.S("a") });

        var deleted = await Client.DeleteTableAsync(name);
        Assert.Equal(TableStatus.DELETING, deleted.TableDescription.TableStatus);
        // DeleteTable answers with the table's identity and size, not its schema, as in the API reference's example.
        Assert.Equal(name, deleted.TableDescription.TableName);
        Assert.EndsWith($":table/{name}", deleted.TableDescription.TableArn);
        Assert.NotNull(deleted.TableDescription.ProvisionedThroughput);
        Assert.True(deleted.TableDescription.KeySchema is null or { Count: 0 });
        Assert.Null(deleted.TableDescription.CreationDateTime);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTableAsync(name));
        Assert.DoesNotContain(name, (await Client.ListTablesAsync()).TableNames);
        var getError = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.GetItemAsync(name, new() { ["pk"] = TestTables.S("a") }));
        Assert.Equal("Requested resource not found", getError.Message);

        // A table created again under the same name starts empty: old data never reappears.
        await TestTables.CreateAsyncNamed(Client, name);
        var item = await Client.GetItemAsync(name, new() { ["pk"] = TestTables.S("a") });
        Assert.False(item.IsItemSet);
    }

    [Fact]
    public async Task DeleteTable_of_missing_table_is_ResourceNotFound()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DeleteTableAsync("no-such-table"));
    }

    [Fact]
    public async Task UpdateTable_changes_billing_mode_and_throughput()
    {
        var name = await TestTables.CreateAsync(Client);
        var provisioned = await Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput(3, 4),
        });
        Assert.Equal(3, provisioned.TableDescription.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(BillingMode.PROVISIONED, (await Client.DescribeTableAsync(name)).Table.BillingModeSummary.BillingMode);

        var same = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = name,
            ProvisionedThroughput = new ProvisionedThroughput(3, 4),
        }));
        Assert.StartsWith("The provisioned throughput for the table will not change.", same.Message);

        var onDemand = await Client.UpdateTableAsync(new UpdateTableRequest { TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST });
        Assert.Equal(BillingMode.PAY_PER_REQUEST, onDemand.TableDescription.BillingModeSummary.BillingMode);
    }

    [Fact]
    public async Task DescribeTable_counts_items()
    {
        var name = await TestTables.CreateAsync(Client);
        for (var i = 0; i < 10; i++) await Client.PutItemAsync(name, new() { ["pk"] = TestTables.S($"k{i}") });
        var table = (await Client.DescribeTableAsync(name)).Table;
        Assert.Equal(10, table.ItemCount);
        Assert.True(table.TableSizeBytes > 0);
    }
}
