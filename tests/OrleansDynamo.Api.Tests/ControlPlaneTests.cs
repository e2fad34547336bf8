using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>Tags, table settings, DescribeLimits, DescribeEndpoints and DescribeContinuousBackups, with DynamoDB's messages.</summary>
[Collection(ServerCollection.Name)]
public sealed class ControlPlaneTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static string ArnOf(string table) => $"arn:aws:dynamodb:us-east-1:000000000000:table/{table}";

    private async Task<string> FailsAsync<TException>(Func<Task> call) where TException : Exception => (await Assert.ThrowsAsync<TException>(call)).Message;

    [Fact]
    public async Task Tags_are_added_replaced_listed_and_removed()
    {
        var name = NewName();
        var created = await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            Tags = [new Tag { Key = "team", Value = "data" }],
        });
        var arn = created.TableDescription.TableArn;
        Assert.Equal(ArnOf(name), arn);
        await Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "team", Value = "ops" }, new Tag { Key = "empty", Value = "" }] });
        var tags = (await Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn })).Tags;
        Assert.Equal(["empty=", "team=ops"], tags.Select(t => $"{t.Key}={t.Value}").Order());

        await Client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = ["team", "never-set"] });
        Assert.Equal(["empty"], (await Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn })).Tags.Select(t => t.Key));

        // 50 tags at most, counted after the merge; nothing is applied when the request fails.
        var many = Enumerable.Range(0, 50).Select(i => new Tag { Key = $"k{i}", Value = "v" }).ToList();
        Assert.Equal("Number of Tags exceed the current limit for the provided ResourceArn",
            await FailsAsync<AmazonDynamoDBException>(() => Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = many })));
        Assert.Single((await Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn })).Tags);
    }

    [Fact]
    public async Task Tag_requests_are_checked_as_DynamoDB_checks_them()
    {
        var name = await CreateAsync(Client);
        var arn = ArnOf(name);
        Task Tag(string? resourceArn, params Tag[] tags) => Client.TagResourceAsync(new TagResourceRequest { ResourceArn = resourceArn, Tags = [.. tags] });
        Assert.Equal("Invalid TableArn", await FailsAsync<AmazonDynamoDBException>(() => Tag(null, new Tag { Key = "k", Value = "v" })));
        Assert.Equal("One or more parameter values were invalid: ARNs must start with 'arn:': not-an-arn",
            await FailsAsync<AmazonDynamoDBException>(() => Tag("not-an-arn", new Tag { Key = "k", Value = "v" })));
        Assert.Equal("Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:000000000000:stream/x",
            await FailsAsync<AmazonDynamoDBException>(() => Tag("arn:aws:dynamodb:us-east-1:000000000000:stream/x", new Tag { Key = "k", Value = "v" })));
        Assert.Equal("Atleast one Tag needs to be provided as Input.", await FailsAsync<AmazonDynamoDBException>(() => Tag(arn)));
        Assert.Equal($"The Tag Key provided is invalid, Key: {new string('k', 129)}",
            await FailsAsync<AmazonDynamoDBException>(() => Tag(arn, new Tag { Key = new string('k', 129), Value = "v" })));
        Assert.Equal("The Tag Key provided is invalid, Key: bad!",
            await FailsAsync<AmazonDynamoDBException>(() => Tag(arn, new Tag { Key = "bad!", Value = "v" })));
        Assert.Equal("The Tag Value provided is invalid, Value: " + new string('v', 257),
            await FailsAsync<AmazonDynamoDBException>(() => Tag(arn, new Tag { Key = "k", Value = new string('v', 257) })));
        Assert.Equal("Tag Key cannot be prefixed with aws:, Key: AWS:x",
            await FailsAsync<AmazonDynamoDBException>(() => Tag(arn, new Tag { Key = "AWS:x", Value = "v" })));
        Assert.Equal("Duplicate Tag Keys provided as input: Duplicate Tag Key found k",
            await FailsAsync<AmazonDynamoDBException>(() => Tag(arn, new Tag { Key = "k", Value = "1" }, new Tag { Key = "k", Value = "2" })));
        var missing = ArnOf("no-such-table");
        Assert.Equal($"Requested resource not found: ResourceArn: {missing} not found",
            await FailsAsync<ResourceNotFoundException>(() => Tag(missing, new Tag { Key = "k", Value = "v" })));
        Assert.Equal($"Requested resource not found: ResourceArn: {missing} not found",
            await FailsAsync<ResourceNotFoundException>(() => Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = missing })));
        var otherRegion = $"arn:aws:dynamodb:eu-west-1:000000000000:table/{name}";
        Assert.Equal($"Invalid TableArn: Invalid ResourceArn provided as input {otherRegion}",
            await FailsAsync<AmazonDynamoDBException>(() => Tag(otherRegion, new Tag { Key = "k", Value = "v" })));
        Assert.Equal("Atleast one Tag Key needs to be provided as Input.",
            await FailsAsync<AmazonDynamoDBException>(() => Client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = [] })));
        Assert.Equal("Tag Key cannot be prefixed with aws:, Key: aws:k",
            await FailsAsync<AmazonDynamoDBException>(() => Client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = ["aws:k"] })));
    }

    [Fact]
    public async Task Table_class_encryption_and_throughput_settings_are_accepted_and_reported()
    {
        var name = NewName();
        var created = (await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            TableClass = TableClass.STANDARD_INFREQUENT_ACCESS,
            SSESpecification = new SSESpecification { Enabled = true },
            OnDemandThroughput = new OnDemandThroughput { MaxReadRequestUnits = 100, MaxWriteRequestUnits = 50 },
        })).TableDescription;
        Assert.Equal(TableClass.STANDARD_INFREQUENT_ACCESS, created.TableClassSummary.TableClass);
        Assert.Equal("ENABLED", created.SSEDescription.Status.Value);
        Assert.Equal("KMS", created.SSEDescription.SSEType.Value);
        Assert.StartsWith("arn:aws:kms:us-east-1:000000000000:key/", created.SSEDescription.KMSMasterKeyArn);
        Assert.Equal(100, created.OnDemandThroughput.MaxReadRequestUnits);
        Assert.Equal(12000, created.WarmThroughput.ReadUnitsPerSecond);
        Assert.Equal(4000, created.WarmThroughput.WriteUnitsPerSecond);

        var described = (await Client.DescribeTableAsync(name)).Table;
        Assert.Equal(created.TableId, described.TableId);
        Assert.Equal(created.TableArn, described.TableArn);
        Assert.Equal(created.CreationDateTime, described.CreationDateTime);
        Assert.Equal(created.SSEDescription.KMSMasterKeyArn, described.SSEDescription.KMSMasterKeyArn);

        var updated = (await Client.UpdateTableAsync(new UpdateTableRequest { TableName = name, TableClass = TableClass.STANDARD })).TableDescription;
        Assert.Equal(TableClass.STANDARD, updated.TableClassSummary.TableClass);
        Assert.NotNull(updated.TableClassSummary.LastUpdateDateTime);
        var warmer = (await Client.UpdateTableAsync(new UpdateTableRequest { TableName = name, WarmThroughput = new WarmThroughput { ReadUnitsPerSecond = 15000 } })).TableDescription;
        Assert.Equal(15000, warmer.WarmThroughput.ReadUnitsPerSecond);
        Assert.Equal(created.TableId, warmer.TableId);
        Assert.Equal("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput is lower than the table's current warm throughput of 15000; warm throughput can only be increased",
            await FailsAsync<AmazonDynamoDBException>(() => Client.UpdateTableAsync(new UpdateTableRequest { TableName = name, WarmThroughput = new WarmThroughput { ReadUnitsPerSecond = 14000 } })));
        Assert.Equal(15000, (await Client.DescribeTableAsync(name)).Table.WarmThroughput.ReadUnitsPerSecond);

        Assert.Equal("One or more parameter values were invalid: TableClass modification must be the only operation in the request",
            await FailsAsync<AmazonDynamoDBException>(() => Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = name, TableClass = TableClass.STANDARD, DeletionProtectionEnabled = true,
            })));
        Assert.Equal("Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].",
            await FailsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
            {
                TableName = NewName(), BillingMode = BillingMode.PAY_PER_REQUEST, TableClass = "COLD",
                KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            })));
        Assert.Equal("One or more parameter values were invalid: SSEType can not be specified if Enabled is false",
            await FailsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
            {
                TableName = NewName(), BillingMode = BillingMode.PAY_PER_REQUEST, SSESpecification = new SSESpecification { Enabled = false, SSEType = SSEType.KMS },
                KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            })));
        Assert.Equal("One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED",
            await FailsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
            {
                TableName = NewName(), ProvisionedThroughput = new ProvisionedThroughput(1, 1), OnDemandThroughput = new OnDemandThroughput { MaxReadRequestUnits = 5 },
                KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            })));
        // The default (AWS-owned) key is no SSEDescription at all.
        Assert.Null((await Client.DescribeTableAsync(await CreateAsync(Client))).Table.SSEDescription);
    }

    [Fact]
    public async Task Limits_endpoints_and_continuous_backups_are_described()
    {
        var limits = await Client.DescribeLimitsAsync(new DescribeLimitsRequest());
        Assert.Equal([80000L, 80000L, 40000L, 40000L],
            [limits.AccountMaxReadCapacityUnits!.Value, limits.AccountMaxWriteCapacityUnits!.Value, limits.TableMaxReadCapacityUnits!.Value, limits.TableMaxWriteCapacityUnits!.Value]);

        var endpoint = Assert.Single((await Client.DescribeEndpointsAsync(new DescribeEndpointsRequest())).Endpoints);
        Assert.Equal(1440, endpoint.CachePeriodInMinutes);
        Assert.False(string.IsNullOrEmpty(endpoint.Address));
        Assert.DoesNotContain("://", endpoint.Address);

        var name = await CreateAsync(Client);
        var backups = (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = name })).ContinuousBackupsDescription;
        Assert.Equal("ENABLED", backups.ContinuousBackupsStatus.Value);
        Assert.Equal("DISABLED", backups.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus.Value);
        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() => Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = "no-such-table" }));
        Assert.Equal("Table not found: no-such-table", missing.Message);
    }

    [Fact]
    public async Task A_table_ARN_stands_for_the_table_name()
    {
        var name = await CreateAsync(Client, rangeKeyType: "N");
        var arn = ArnOf(name);
        await Client.PutItemAsync(arn, new() { ["pk"] = S("a"), ["sk"] = N("1"), ["v"] = S("x") });
        Assert.Equal("x", (await Client.GetItemAsync(arn, new() { ["pk"] = S("a"), ["sk"] = N("1") })).Item["v"].S);
        Assert.Equal(name, (await Client.DescribeTableAsync(arn)).Table.TableName);
        var query = await Client.QueryAsync(new QueryRequest
        {
            TableName = arn, KeyConditionExpression = "pk = :p", ExpressionAttributeValues = new() { [":p"] = S("a") },
        });
        Assert.Single(query.Items);
        var batch = await Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [arn] = new KeysAndAttributes { Keys = [new() { ["pk"] = S("a"), ["sk"] = N("1") }] } },
        });
        Assert.Single(batch.Responses.Values.Single());
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTableAsync(ArnOf("no-such-table")));
    }
}
