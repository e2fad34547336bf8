using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.Tests;
using static OrleansDynamo.Tests.StreamTestReader;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// Time to live through the AWS SDK: UpdateTimeToLive and DescribeTimeToLive with DynamoDB's checks, and
/// expiry as the developer guide describes it (Number epoch seconds, not more than five years old, checked
/// again at delete time, in the stream as a service deletion). The server sweeps every second (fixture).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TimeToLiveTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private Task<UpdateTimeToLiveResponse> UpdateAsync(string table, bool enabled, string attribute = "expires") =>
        Client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table, TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = enabled, AttributeName = attribute },
        });

    private async Task<string> FailsAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(call);
        Assert.Equal("ValidationException", error.ErrorCode);
        return error.Message;
    }

    [Fact]
    public async Task UpdateTimeToLive_turns_it_on_and_off_with_DynamoDBs_checks()
    {
        var table = await CreateAsync(Client);
        var initial = (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table })).TimeToLiveDescription;
        Assert.Equal(TimeToLiveStatus.DISABLED, initial.TimeToLiveStatus);
        Assert.Null(initial.AttributeName);
        Assert.Equal("TimeToLive is already disabled", await FailsAsync(() => UpdateAsync(table, false)));

        var enabled = await UpdateAsync(table, true);
        Assert.True(enabled.TimeToLiveSpecification.Enabled);
        Assert.Equal("expires", enabled.TimeToLiveSpecification.AttributeName);
        var described = (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table })).TimeToLiveDescription;
        Assert.Equal(TimeToLiveStatus.ENABLED, described.TimeToLiveStatus);
        Assert.Equal("expires", described.AttributeName);

        Assert.Equal("TimeToLive is already enabled", await FailsAsync(() => UpdateAsync(table, true)));
        Assert.Equal("TimeToLive is active on a different AttributeName: current AttributeName is expires", await FailsAsync(() => UpdateAsync(table, true, "other")));
        Assert.Equal("TimeToLive is active on a different AttributeName: current AttributeName is expires", await FailsAsync(() => UpdateAsync(table, false, "other")));
        Assert.Equal("Time to live has been modified multiple times within a fixed interval", await FailsAsync(() => UpdateAsync(table, false)));

        server.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.False((await UpdateAsync(table, false)).TimeToLiveSpecification.Enabled);
        Assert.Equal(TimeToLiveStatus.DISABLED, (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table })).TimeToLiveDescription.TimeToLiveStatus);
    }

    [Fact]
    public async Task UpdateTimeToLive_checks_its_request_and_its_table()
    {
        var table = await CreateAsync(Client);
        Assert.Equal("1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
            await FailsAsync(() => UpdateAsync(table, true, "")));
        var missing = await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>(() => UpdateAsync("no-such-table", true));
        Assert.Equal("Requested resource not found: Table: no-such-table not found", missing.Message);
        await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>(() =>
            Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = "no-such-table" }));
    }

    [Fact]
    public async Task Expired_items_are_deleted_and_every_deletion_is_in_the_stream_as_the_service()
    {
        var table = NewName("ttl");
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        var now = server.Clock.UnixSeconds;
        // Written before TTL is on: found by each partition's first pass over its items.
        for (var i = 0; i < 20; i++) await Client.PutItemAsync(table, new() { ["pk"] = S($"before-{i}"), ["expires"] = N($"{now - 60}") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("future"), ["expires"] = N($"{now + 3600}") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("string"), ["expires"] = S($"{now - 60}") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("ancient"), ["expires"] = N($"{now - 6L * 365 * 24 * 3600}") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("none") });
        await UpdateAsync(table, true);
        // Written after: indexed with the write.
        for (var i = 0; i < 20; i++) await Client.PutItemAsync(table, new() { ["pk"] = S($"after-{i}"), ["expires"] = N($"{now - 30}.5") });
        // Due soon, then moved to the future before it is swept: it lives.
        await Client.PutItemAsync(table, new() { ["pk"] = S("renewed"), ["expires"] = N($"{now + 5}") });
        await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = new() { ["pk"] = S("renewed") },
            UpdateExpression = "SET expires = :later", ExpressionAttributeValues = new() { [":later"] = N($"{now + 7200}") },
        });
        server.Clock.Advance(TimeSpan.FromSeconds(10));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> left;
        do
        {
            await Task.Delay(250);
            left = (await Client.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true })).Items.Select(i => i["pk"].S).Order().ToList();
        } while (left.Count > 5 && DateTime.UtcNow < deadline);
        Assert.Equal(["ancient", "future", "none", "renewed", "string"], left);

        var removals = (await ReadAllAsync(server.Streams, await StreamArnOf(Client, table))).Where(r => EventName(r) == "REMOVE").ToList();
        Assert.Equal(40, removals.Count);
        Assert.All(removals, r =>
        {
            Assert.Equal("Service", Text(r["userIdentity"]!["Type"]));
            Assert.Equal("dynamodb.amazonaws.com", Text(r["userIdentity"]!["PrincipalId"]));
            Assert.NotNull(r["dynamodb"]!["OldImage"]!["expires"]);
            Assert.Null(r["dynamodb"]!["NewImage"]);
        });
    }
}
