using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.Tests;
using static OrleansDynamo.Tests.StreamTestReader;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// DynamoDB Streams through the AWS SDK's DynamoDB Streams client (<see cref="StreamsSdk"/>): StreamSpecification on CreateTable and
/// UpdateTable, ListStreams, DescribeStream, GetShardIterator, GetRecords, their record shape and their errors,
/// as the API reference describes them. Rules measured in hours move the server's clock forward.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StreamTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;
    private StreamsSdk Streams => server.Streams;

    private async Task<string> CreateWithStreamAsync(StreamViewType viewType, bool rangeKey = false)
    {
        var name = NewName("stream");
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = viewType },
        };
        if (rangeKey)
        {
            request.KeySchema.Add(new KeySchemaElement("sk", KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition("sk", ScalarAttributeType.N));
        }
        await Client.CreateTableAsync(request);
        return name;
    }

    private async Task<string> Fails(Func<Task> call, string errorType)
    {
        var error = await Assert.ThrowsAsync<StreamsSdkException>(call);
        Assert.Equal(errorType, error.ErrorType);
        return error.Message;
    }

    [Fact]
    public async Task A_table_created_with_a_stream_describes_it_and_lists_it()
    {
        var name = await CreateWithStreamAsync(StreamViewType.NEW_AND_OLD_IMAGES);
        var table = (await Client.DescribeTableAsync(name)).Table;
        Assert.True(table.StreamSpecification.StreamEnabled);
        Assert.Equal(StreamViewType.NEW_AND_OLD_IMAGES, table.StreamSpecification.StreamViewType);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$", table.LatestStreamLabel);
        Assert.Equal($"{table.TableArn}/stream/{table.LatestStreamLabel}", table.LatestStreamArn);

        var listed = (await Streams.ListStreamsAsync(new { TableName = name }))["Streams"]!.AsArray();
        var stream = Assert.Single(listed)!;
        Assert.Equal(table.LatestStreamArn, Text(stream["StreamArn"]));
        Assert.Equal(name, Text(stream["TableName"]));
        Assert.Equal(table.LatestStreamLabel, Text(stream["StreamLabel"]));
        Assert.Contains((await Streams.ListStreamsAsync(new { }))["Streams"]!.AsArray(), s => Text(s!["StreamArn"]) == table.LatestStreamArn);

        var description = (await Streams.DescribeStreamAsync(new { StreamArn = table.LatestStreamArn }))["StreamDescription"]!;
        Assert.Equal("ENABLED", Text(description["StreamStatus"]));
        Assert.Equal("NEW_AND_OLD_IMAGES", Text(description["StreamViewType"]));
        Assert.Equal(name, Text(description["TableName"]));
        Assert.Equal(table.LatestStreamLabel, Text(description["StreamLabel"]));
        Assert.Equal("pk", Text(Assert.Single(description["KeySchema"]!.AsArray())!["AttributeName"]));
        var shards = description["Shards"]!.AsArray();
        Assert.Equal(4, shards.Count); // one per partition, all open
        Assert.All(shards, s =>
        {
            Assert.Matches("^shardId-[0-9]{20}-[0-9a-f]{16}$", Id(s!));
            Assert.Null(ParentId(s!));
            Assert.Matches("^[0-9]{21}$", Text(s!["SequenceNumberRange"]!["StartingSequenceNumber"]));
            Assert.Null(s!["SequenceNumberRange"]!["EndingSequenceNumber"]);
        });
        Assert.Null(description["LastEvaluatedShardId"]);
    }

    [Fact]
    public async Task Every_change_has_a_record_in_order_and_a_write_that_changes_nothing_has_none()
    {
        var name = await CreateWithStreamAsync(StreamViewType.NEW_AND_OLD_IMAGES);
        var before = server.Clock.GetUtcNow().AddSeconds(-2);
        var key = new Dictionary<string, AttributeValue> { ["pk"] = S("a") };
        await Client.PutItemAsync(name, new() { ["pk"] = S("a"), ["v"] = N("1") });
        await Client.PutItemAsync(name, new() { ["pk"] = S("a"), ["v"] = N("1") }); // the same: no record
        await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = name, Key = key, UpdateExpression = "SET v = :two", ExpressionAttributeValues = new() { [":two"] = N("2") },
        });
        await Client.DeleteItemAsync(name, key);
        await Client.DeleteItemAsync(name, key); // nothing to delete: no record

        var records = await ReadAllAsync(Streams, await StreamArnOf(Client, name));
        Assert.Equal(["INSERT", "MODIFY", "REMOVE"], records.Select(EventName));
        Assert.All(records, r =>
        {
            Assert.Equal("aws:dynamodb", Text(r["eventSource"]));
            Assert.Equal("1.1", Text(r["eventVersion"]));
            Assert.Equal("us-east-1", Text(r["awsRegion"]));
            Assert.Matches("^[0-9a-f]{32}$", Text(r["eventID"]));
            Assert.Equal("a", KeyS(r));
            Assert.Equal("NEW_AND_OLD_IMAGES", Text(r["dynamodb"]!["StreamViewType"]));
            Assert.True(r["dynamodb"]!["SizeBytes"]!.GetValue<long>() > 0);
            Assert.InRange(DateTimeOffset.Parse(Text(r["dynamodb"]!["ApproximateCreationDateTime"])), before, before.AddMinutes(2));
            Assert.Null(r["userIdentity"]);
        });
        Assert.Null(records[0]["dynamodb"]!["OldImage"]);
        Assert.Equal("1", Text(records[0]["dynamodb"]!["NewImage"]!["v"]!["N"]));
        Assert.Equal("1", Text(records[1]["dynamodb"]!["OldImage"]!["v"]!["N"]));
        Assert.Equal("2", Text(records[1]["dynamodb"]!["NewImage"]!["v"]!["N"]));
        Assert.Equal("2", Text(records[2]["dynamodb"]!["OldImage"]!["v"]!["N"]));
        Assert.Null(records[2]["dynamodb"]!["NewImage"]);
        var sequences = records.Select(r => decimal.Parse(Sequence(r))).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(3, records.Select(r => Text(r["eventID"])).Distinct().Count());
    }

    [Theory]
    [InlineData("KEYS_ONLY", false, false)]
    [InlineData("NEW_IMAGE", true, false)]
    [InlineData("OLD_IMAGE", false, true)]
    public async Task Records_hold_what_the_view_type_asks_for(string viewType, bool newImage, bool oldImage)
    {
        var name = await CreateWithStreamAsync(StreamViewType.FindValue(viewType));
        await Client.PutItemAsync(name, new() { ["pk"] = S("a"), ["v"] = N("1") });
        await Client.PutItemAsync(name, new() { ["pk"] = S("a"), ["v"] = N("2") });
        var modify = (await ReadAllAsync(Streams, await StreamArnOf(Client, name)))[1];
        Assert.Equal("MODIFY", EventName(modify));
        Assert.Equal(viewType, Text(modify["dynamodb"]!["StreamViewType"]));
        Assert.Equal("a", KeyS(modify));
        Assert.Equal(newImage, modify["dynamodb"]!["NewImage"] is not null);
        Assert.Equal(oldImage, modify["dynamodb"]!["OldImage"] is not null);
    }

    [Fact]
    public async Task Batch_writes_and_transactions_write_records_too()
    {
        var name = await CreateWithStreamAsync(StreamViewType.NEW_IMAGE);
        await Client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [name] = [.. Enumerable.Range(0, 5).Select(i => new WriteRequest(new PutRequest(new() { ["pk"] = S($"b{i}") })))] },
        });
        await Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = name, Item = new() { ["pk"] = S("t1") } } },
                new TransactWriteItem { Delete = new Delete { TableName = name, Key = new() { ["pk"] = S("b0") } } },
            ],
        });
        var records = await ReadAllAsync(Streams, await StreamArnOf(Client, name));
        Assert.Equal(7, records.Count);
        Assert.Equal(["INSERT", "REMOVE"], records.Where(r => KeyS(r) == "b0").Select(EventName));
        Assert.Contains(records, r => KeyS(r) == "t1" && EventName(r) == "INSERT");
    }

    [Fact]
    public async Task Iterators_start_where_their_type_says()
    {
        var name = await CreateWithStreamAsync(StreamViewType.KEYS_ONLY, rangeKey: true);
        // One partition key: every record in one shard.
        for (var i = 0; i < 5; i++) await Client.PutItemAsync(name, new() { ["pk"] = S("p"), ["sk"] = N($"{i}") });
        var arn = await StreamArnOf(Client, name);
        var shard = await ShardWithRecordsAsync(Streams, arn);
        var all = await ReadShardAsync(Streams, arn, shard);
        Assert.Equal(["0", "1", "2", "3", "4"], all.Select(r => KeyN(r)));

        var third = Sequence(all[2]);
        Assert.Equal(["2", "3", "4"], (await ReadShardAsync(Streams, arn, shard, "AT_SEQUENCE_NUMBER", third)).Select(r => KeyN(r)));
        Assert.Equal(["3", "4"], (await ReadShardAsync(Streams, arn, shard, "AFTER_SEQUENCE_NUMBER", third)).Select(r => KeyN(r)));

        var empty = await Streams.GetRecordsAsync(new { ShardIterator = await IteratorAsync(Streams, arn, shard, "LATEST") });
        Assert.Empty(empty["Records"]!.AsArray());
        Assert.NotNull(empty["NextShardIterator"]); // an open shard always has a next iterator
        await Client.PutItemAsync(name, new() { ["pk"] = S("p"), ["sk"] = N("5") });
        var next = await Streams.GetRecordsAsync(new { ShardIterator = Text(empty["NextShardIterator"]) });
        Assert.Equal("5", KeyN(Assert.Single(next["Records"]!.AsArray())!));

        // Limit, and paging by NextShardIterator.
        var first = await Streams.GetRecordsAsync(new { ShardIterator = await IteratorAsync(Streams, arn, shard), Limit = 2 });
        Assert.Equal(["0", "1"], first["Records"]!.AsArray().Select(r => KeyN(r!)));
        var rest = await Streams.GetRecordsAsync(new { ShardIterator = Text(first["NextShardIterator"]) });
        Assert.Equal(["2", "3", "4", "5"], rest["Records"]!.AsArray().Select(r => KeyN(r!)));
    }

    [Fact]
    public async Task ListStreams_pages_by_stream_arn()
    {
        var name = await CreateWithStreamAsync(StreamViewType.KEYS_ONLY);
        // Three streams of one table: on, off and on again, twice.
        foreach (var enabled in new[] { false, true, false, true })
            await Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = name,
                StreamSpecification = new StreamSpecification { StreamEnabled = enabled, StreamViewType = enabled ? StreamViewType.KEYS_ONLY : null },
            });
        var arns = new List<string>();
        string? start = null;
        do
        {
            var page = await Streams.ListStreamsAsync(new { TableName = name, Limit = 2, ExclusiveStartStreamArn = start });
            var streams = page["Streams"]!.AsArray();
            Assert.InRange(streams.Count, 1, 2);
            arns.AddRange(streams.Select(s => Text(s!["StreamArn"])));
            start = page["LastEvaluatedStreamArn"]?.GetValue<string>();
        } while (start is not null);
        Assert.Equal(3, arns.Distinct().Count());
        Assert.Equal(await StreamArnOf(Client, name), arns[^1]);
    }

    [Fact]
    public async Task DescribeStream_pages_its_shards()
    {
        var arn = await StreamArnOf(Client, await CreateWithStreamAsync(StreamViewType.KEYS_ONLY));
        var first = (await Streams.DescribeStreamAsync(new { StreamArn = arn, Limit = 3 }))["StreamDescription"]!;
        var firstShards = first["Shards"]!.AsArray().Select(s => Id(s!)).ToList();
        Assert.Equal(3, firstShards.Count);
        Assert.Equal(firstShards[^1], Text(first["LastEvaluatedShardId"]));
        var second = (await Streams.DescribeStreamAsync(new { StreamArn = arn, ExclusiveStartShardId = firstShards[^1] }))["StreamDescription"]!;
        var all = firstShards.Concat(second["Shards"]!.AsArray().Select(s => Id(s!))).ToList();
        Assert.Equal(4, all.Count);
        Assert.Null(second["LastEvaluatedShardId"]);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
    }

    [Fact]
    public async Task Turning_the_stream_off_closes_it_and_on_again_makes_a_new_one()
    {
        var name = await CreateWithStreamAsync(StreamViewType.NEW_IMAGE);
        await Client.PutItemAsync(name, new() { ["pk"] = S("old") });
        var oldArn = await StreamArnOf(Client, name);

        var off = await Client.UpdateTableAsync(new UpdateTableRequest { TableName = name, StreamSpecification = new StreamSpecification { StreamEnabled = false } });
        Assert.Null(off.TableDescription.StreamSpecification);
        var table = (await Client.DescribeTableAsync(name)).Table;
        Assert.Null(table.StreamSpecification);
        Assert.Equal(oldArn, table.LatestStreamArn); // DynamoDB keeps naming the latest stream
        await Client.PutItemAsync(name, new() { ["pk"] = S("unrecorded") });

        var closed = (await Streams.DescribeStreamAsync(new { StreamArn = oldArn }))["StreamDescription"]!;
        Assert.Equal("DISABLED", Text(closed["StreamStatus"]));
        Assert.All(closed["Shards"]!.AsArray(), s => Assert.NotNull(s!["SequenceNumberRange"]!["EndingSequenceNumber"]));
        Assert.Equal(["old"], (await ReadAllAsync(Streams, oldArn)).Select(r => KeyS(r)));
        // A closed shard read to its end has no next iterator.
        var page = await Streams.GetRecordsAsync(new { ShardIterator = await IteratorAsync(Streams, oldArn, await ShardWithRecordsAsync(Streams, oldArn)) });
        Assert.Single(page["Records"]!.AsArray());
        Assert.Null(page["NextShardIterator"]);

        await Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = name, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        });
        await Client.PutItemAsync(name, new() { ["pk"] = S("new") });
        var newArn = await StreamArnOf(Client, name);
        Assert.NotEqual(oldArn, newArn);
        Assert.Equal(["new"], (await ReadAllAsync(Streams, newArn)).Select(r => KeyS(r)));
        Assert.Equal([oldArn, newArn], (await Streams.ListStreamsAsync(new { TableName = name }))["Streams"]!.AsArray().Select(s => Text(s!["StreamArn"])));

        // The old stream stays readable for 24 hours after it was turned off, then it is gone.
        server.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal([newArn], (await Streams.ListStreamsAsync(new { TableName = name }))["Streams"]!.AsArray().Select(s => Text(s!["StreamArn"])));
        Assert.Equal($"Requested resource not found: Stream: {oldArn} not found",
            await Fails(() => Streams.DescribeStreamAsync(new { StreamArn = oldArn }), "ResourceNotFoundException"));
    }

    [Fact]
    public async Task Stream_specifications_are_checked_as_DynamoDB_checks_them()
    {
        var name = await CreateWithStreamAsync(StreamViewType.KEYS_ONLY);
        async Task<string> UpdateFails(StreamSpecification specification, string? table = null) =>
            (await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = table ?? name, StreamSpecification = specification,
            }))).Message;

        Assert.Equal($"Table already has an enabled stream: TableName: {name}",
            await UpdateFails(new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE }));
        Assert.Equal("One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required",
            await UpdateFails(new StreamSpecification { StreamEnabled = true }));
        Assert.Equal("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified",
            await UpdateFails(new StreamSpecification { StreamEnabled = false, StreamViewType = StreamViewType.NEW_IMAGE }));
        var plain = await CreateAsync(Client);
        Assert.Equal($"Table has no stream to disable: TableName: {plain}", await UpdateFails(new StreamSpecification { StreamEnabled = false }, plain));

        var create = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = NewName(), BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true },
        }));
        Assert.Equal("One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required", create.Message);
        Assert.Equal("ValidationException", create.ErrorCode);
        Assert.Empty((await Streams.ListStreamsAsync(new { TableName = plain }))["Streams"]!.AsArray());
    }

    [Fact]
    public async Task Streams_API_errors_are_DynamoDBs()
    {
        var name = await CreateWithStreamAsync(StreamViewType.KEYS_ONLY);
        var arn = await StreamArnOf(Client, name);
        var shard = Id((await ShardsAsync(Streams, arn))[0]);

        var missing = arn[..arn.LastIndexOf('/')] + "/2000-01-01T00:00:00.000";
        Assert.Equal($"Requested resource not found: Stream: {missing} not found",
            await Fails(() => Streams.DescribeStreamAsync(new { StreamArn = missing }), "ResourceNotFoundException"));
        Assert.Equal("Requested resource not found: Shard does not exist", await Fails(() => Streams.GetShardIteratorAsync(new
        {
            StreamArn = arn, ShardId = "shardId-00000000000000000000-00000000000000ff", ShardIteratorType = "LATEST",
        }), "ResourceNotFoundException"));
        await Fails(() => Streams.GetShardIteratorAsync(new { StreamArn = arn, ShardId = shard, ShardIteratorType = "AT_SEQUENCE_NUMBER" }), "ValidationException");
        await Fails(() => Streams.GetShardIteratorAsync(new
        {
            StreamArn = arn, ShardId = shard, ShardIteratorType = "TRIM_HORIZON", SequenceNumber = "100000000000000000000",
        }), "ValidationException");
        Assert.Equal("1 validation error detected: Value 'SOMEWHERE' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
            await Fails(() => Streams.GetShardIteratorAsync(new { StreamArn = arn, ShardId = shard, ShardIteratorType = "SOMEWHERE" }), "ValidationException"));
        Assert.Equal("1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
            await Fails(() => Streams.GetRecordsAsync(new { ShardIterator = "x", Limit = 1001 }), "ValidationException"));
        await Fails(() => Streams.GetRecordsAsync(new { ShardIterator = "not an iterator" }), "ValidationException");
        await Fails(() => Streams.ListStreamsAsync(new { Limit = 101 }), "ValidationException");
        await Fails(() => Streams.DescribeStreamAsync(new { StreamArn = "this is no stream arn at all, not even close" }), "ValidationException");
        Assert.Equal($"Requested resource not found: Table: no-such-table not found",
            await Fails(() => Streams.ListStreamsAsync(new { TableName = "no-such-table" }), "ResourceNotFoundException"));
    }

    [Fact]
    public async Task Iterators_expire_after_15_minutes_and_records_after_24_hours()
    {
        var name = await CreateWithStreamAsync(StreamViewType.KEYS_ONLY, rangeKey: true);
        await Client.PutItemAsync(name, new() { ["pk"] = S("p"), ["sk"] = N("1") });
        var arn = await StreamArnOf(Client, name);
        var shard = await ShardWithRecordsAsync(Streams, arn);
        var record = Assert.Single(await ReadShardAsync(Streams, arn, shard));

        var iterator = await IteratorAsync(Streams, arn, shard);
        server.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal("The provided iterator exceeds the maximum age allowed.",
            await Fails(() => Streams.GetRecordsAsync(new { ShardIterator = iterator }), "ExpiredIteratorException"));

        // An iterator taken before the record is 24 hours old, used after: the record has been trimmed.
        server.Clock.Advance(TimeSpan.FromMinutes(23 * 60 + 36)); // the record is 23 h 52 min old
        iterator = await IteratorAsync(Streams, arn, shard);
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("The data you are trying to access has been trimmed",
            await Fails(() => Streams.GetRecordsAsync(new { ShardIterator = iterator }), "TrimmedDataAccessException"));
        await Fails(() => IteratorAsync(Streams, arn, shard, "AT_SEQUENCE_NUMBER", Sequence(record)), "TrimmedDataAccessException");
        // From the trim horizon nothing is left, and new records are read.
        Assert.Empty(await ReadShardAsync(Streams, arn, shard));
        await Client.PutItemAsync(name, new() { ["pk"] = S("p"), ["sk"] = N("2") });
        Assert.Equal("2", KeyN(Assert.Single(await ReadShardAsync(Streams, arn, shard))));
    }
}
