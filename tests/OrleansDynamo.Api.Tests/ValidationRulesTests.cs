using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>Rules DynamoDB checks across operations, with its messages: key attributes in filters, starting keys, functions, index key sizes.</summary>
[Collection(ServerCollection.Name)]
public sealed class ValidationRulesTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static async Task<string> FailsAsync(Func<Task> call) => (await Assert.ThrowsAsync<AmazonDynamoDBException>(call)).Message;

    private async Task<string> TableWithIndexAsync()
    {
        var name = NewName();
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("pk", "S"), new("sk", "N"), new("g", "S")],
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "byG", KeySchema = [new("g", KeyType.HASH), new("sk", KeyType.RANGE)], Projection = new Projection { ProjectionType = "ALL" } }],
        });
        return name;
    }

    [Fact]
    public async Task A_Query_filter_names_no_key_attribute_of_what_it_queries()
    {
        var table = await TableWithIndexAsync();
        var values = new Dictionary<string, AttributeValue> { [":p"] = S("a"), [":n"] = N("1") };
        Assert.Equal("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
            await FailsAsync(() => Client.QueryAsync(new QueryRequest { TableName = table, KeyConditionExpression = "pk = :p", FilterExpression = "size(x) > :n OR sk > :n", ExpressionAttributeValues = values })));
        Assert.Equal("Filter Expression can only contain non-primary key attributes: Primary key attribute: g",
            await FailsAsync(() => Client.QueryAsync(new QueryRequest { TableName = table, IndexName = "byG", KeyConditionExpression = "g = :p", FilterExpression = "#g = :p", ExpressionAttributeNames = new() { ["#g"] = "g" }, ExpressionAttributeValues = new() { [":p"] = S("a") } })));
        Assert.Equal("QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
            await FailsAsync(() => Client.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditions = new() { ["pk"] = new Condition { ComparisonOperator = "EQ", AttributeValueList = [S("a")] } },
                QueryFilter = new() { ["sk"] = new Condition { ComparisonOperator = "GT", AttributeValueList = [N("1")] } },
            })));
        // A Scan may filter on anything; so may a Query on attributes that are not keys of what it queries.
        await Client.ScanAsync(new ScanRequest { TableName = table, FilterExpression = "sk > :n", ExpressionAttributeValues = new() { [":n"] = N("1") } });
        await Client.QueryAsync(new QueryRequest { TableName = table, IndexName = "byG", KeyConditionExpression = "g = :p", FilterExpression = "pk = :p", ExpressionAttributeValues = new() { [":p"] = S("a") } });
    }

    [Fact]
    public async Task A_starting_key_outside_the_sort_key_condition_is_refused()
    {
        var table = await TableWithIndexAsync();
        Assert.Equal("The provided starting key is outside query boundaries based on provided conditions",
            await FailsAsync(() => Client.QueryAsync(new QueryRequest
            {
                TableName = table, KeyConditionExpression = "pk = :p AND sk > :n", ExpressionAttributeValues = new() { [":p"] = S("a"), [":n"] = N("5") },
                ExclusiveStartKey = new() { ["pk"] = S("a"), ["sk"] = N("2") },
            })));
        var inside = await Client.QueryAsync(new QueryRequest
        {
            TableName = table, KeyConditionExpression = "pk = :p AND sk > :n", ExpressionAttributeValues = new() { [":p"] = S("a"), [":n"] = N("5") },
            ExclusiveStartKey = new() { ["pk"] = S("a"), ["sk"] = N("7") },
        });
        Assert.Empty(inside.Items);
    }

    [Fact]
    public async Task Functions_are_allowed_only_where_DynamoDB_allows_them()
    {
        var table = await CreateAsync(Client);
        Assert.Equal("Invalid UpdateExpression: The function is not allowed in an update expression; function: size",
            await FailsAsync(() => Client.UpdateItemAsync(new UpdateItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, UpdateExpression = "SET a = size(b)" })));
        Assert.Equal("Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists",
            await FailsAsync(() => Client.PutItemAsync(new PutItemRequest
            {
                TableName = table, Item = new() { ["pk"] = S("a") }, ConditionExpression = "if_not_exists(a, :v) = :v", ExpressionAttributeValues = new() { [":v"] = S("x") },
            })));
        Assert.Equal("Invalid UpdateExpression: Invalid function name; function: nope",
            await FailsAsync(() => Client.UpdateItemAsync(new UpdateItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, UpdateExpression = "SET a = nope(b)" })));
    }

    [Fact]
    public async Task Contains_finds_a_run_of_bytes_in_a_binary()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["b"] = new AttributeValue { B = new MemoryStream([1, 2, 3, 4]) } });
        async Task<int> CountAsync(byte[] bytes) => (await Client.ScanAsync(new ScanRequest
        {
            TableName = table, FilterExpression = "contains(b, :b)", ExpressionAttributeValues = new() { [":b"] = new AttributeValue { B = new MemoryStream(bytes) } },
        })).Count ?? 0;
        Assert.Equal(1, await CountAsync([2, 3]));
        Assert.Equal(0, await CountAsync([3, 2]));
    }

    [Fact]
    public async Task Index_keys_keep_to_the_key_size_limits()
    {
        var table = await TableWithIndexAsync();
        var tooLong = S(new string('g', 2049));
        Assert.Equal("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot be larger than 2048 bytes. IndexName: byG, IndexKey: g",
            await FailsAsync(() => Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1"), ["g"] = tooLong })));
        await Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1"), ["g"] = S(new string('g', 2048)) });
        await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = new() { ["pk"] = S("a"), ["sk"] = N("1") }, UpdateExpression = "SET g = :g", ExpressionAttributeValues = new() { [":g"] = tooLong },
        }));
    }

    [Fact]
    public async Task Constraint_checks_of_UpdateTable_members_and_index_names()
    {
        var table = await TableWithIndexAsync();
        Assert.Equal("1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
            await FailsAsync(() => Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = table, AttributeDefinitions = [new("w", "SS")],
                GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Create = new CreateGlobalSecondaryIndexAction { IndexName = "byW", KeySchema = [new("w", KeyType.HASH)], Projection = new Projection { ProjectionType = "ALL" } } }],
            })));
        Assert.Equal("1 validation error detected: Value '0' at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
            await FailsAsync(() => Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = table,
                GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Update = new UpdateGlobalSecondaryIndexAction { IndexName = "byG", ProvisionedThroughput = new ProvisionedThroughput(0, 5) } }],
            })));
        var arn = $"arn:aws:dynamodb:us-east-1:000000000000:table/{table}";
        Assert.Equal($"1 validation error detected: Value '{arn}' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            await FailsAsync(() => Client.QueryAsync(new QueryRequest { TableName = table, IndexName = arn, KeyConditionExpression = "g = :g", ExpressionAttributeValues = new() { [":g"] = S("x") } })));
        Assert.Equal("1 validation error detected: Value 'MANY' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
            await FailsAsync(() => Client.PutItemAsync(new PutItemRequest { TableName = table, Item = new() { ["pk"] = S("a"), ["sk"] = N("1") }, ReturnItemCollectionMetrics = "MANY" })));
        Assert.Equal("1 validation error detected: Value 'DES' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]",
            await FailsAsync(() => Client.UpdateTableAsync(new UpdateTableRequest { TableName = "no-such-table", SSESpecification = new SSESpecification { Enabled = true, SSEType = "DES" } })));
        Assert.Equal("One or more parameter values were invalid: You cannot modify stream status while updating global secondary indexes",
            await FailsAsync(() => Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = table, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = "KEYS_ONLY" },
                GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Delete = new DeleteGlobalSecondaryIndexAction { IndexName = "byG" } }],
            })));
        Assert.NotNull((await Client.DescribeTableAsync(table)).Table.GlobalSecondaryIndexes.SingleOrDefault(g => g.IndexName == "byG"));
        var wide = Enumerable.Range(0, 21).Select(i => $"n{i}").ToList();
        Assert.Contains("at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length less than or equal to 20",
            await FailsAsync(() => Client.CreateTableAsync(new CreateTableRequest
            {
                TableName = NewName(), BillingMode = BillingMode.PAY_PER_REQUEST, AttributeDefinitions = [new("pk", "S"), new("g", "S")], KeySchema = [new("pk", KeyType.HASH)],
                GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "byG", KeySchema = [new("g", KeyType.HASH)], Projection = new Projection { ProjectionType = "INCLUDE", NonKeyAttributes = wide } }],
            })));
    }

    [Fact]
    public async Task Transaction_actions_are_checked_at_their_place_in_one_message()
    {
        var table = await CreateAsync(Client);
        Assert.Equal("2 validation errors detected: Value 'x' at 'transactItems.1.member.put.tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
            + "Value null at 'transactItems.2.member.delete.key' failed to satisfy constraint: Member must not be null",
            await FailsAsync(() => Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new TransactWriteItem { Put = new Put { TableName = "x", Item = new() { ["pk"] = S("a") } } },
                    new TransactWriteItem { Delete = new Delete { TableName = table } },
                ],
            })));
        Assert.Equal("1 validation error detected: Value null at 'transactItems.1.member.get.key' failed to satisfy constraint: Member must not be null",
            await FailsAsync(() => Client.TransactGetItemsAsync(new TransactGetItemsRequest { TransactItems = [new TransactGetItem { Get = new Get { TableName = table } }] })));
    }
}
