using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Xunit.Abstractions;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class ScanTests(ServerFixture server, ITestOutputHelper output)
{
    private IAmazonDynamoDB Client => server.Client;

    private async Task<string> TableWithItemsAsync(int count)
    {
        var table = await CreateAsync(Client);
        for (var start = 0; start < count; start += 50)
            await Task.WhenAll(Enumerable.Range(start, Math.Min(50, count - start)).Select(i =>
                Client.PutItemAsync(table, new() { ["pk"] = S($"item-{i}"), ["i"] = N(i.ToString()) })));
        return table;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> ScanAllAsync(string table, Action<ScanRequest>? configure = null)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new ScanRequest { TableName = table, ExclusiveStartKey = start };
            configure?.Invoke(request);
            var page = await Client.ScanAsync(request);
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        return items;
    }

    [Fact]
    public async Task Scan_pages_through_every_partition_and_sees_each_item_once()
    {
        var table = await TableWithItemsAsync(300);
        var items = await ScanAllAsync(table, r => r.Limit = 7);
        Assert.Equal(300, items.Count);
        Assert.Equal(300, items.Select(i => i["pk"].S).Distinct().Count());
    }

    [Fact]
    public async Task Scan_stops_pages_at_one_megabyte()
    {
        var table = await CreateAsync(Client);
        var blob = new string('x', 100 * 1024);
        for (var i = 0; i < 25; i++) await Client.PutItemAsync(table, new() { ["pk"] = S($"big-{i}"), ["v"] = S(blob) });

        var first = await Client.ScanAsync(new ScanRequest { TableName = table });
        Assert.InRange(first.Count!.Value, 10, 11);
        Assert.True(first.LastEvaluatedKey.Count > 0);
        Assert.Equal(25, (await ScanAllAsync(table)).Count);
    }

    [Fact]
    public async Task Parallel_scan_segments_are_disjoint_and_complete()
    {
        var table = await TableWithItemsAsync(200);
        var all = new List<string>();
        for (var segment = 0; segment < 3; segment++)
        {
            var s = segment;
            all.AddRange((await ScanAllAsync(table, r => { r.Segment = s; r.TotalSegments = 3; r.Limit = 13; })).Select(i => i["pk"].S));
        }
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task Scan_with_filter_counts_matches_and_scanned_items()
    {
        var table = await TableWithItemsAsync(20);
        var response = await Client.ScanAsync(new ScanRequest
        {
            TableName = table,
            FilterExpression = "i < :ten",
            ExpressionAttributeValues = new() { [":ten"] = N("10") },
        });
        Assert.Equal(10, response.Count);
        Assert.Equal(20, response.ScannedCount);
    }

    [Fact]
    public async Task Scan_segment_not_below_total_is_rejected()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ScanAsync(new ScanRequest { TableName = table, Segment = 2, TotalSegments = 2 }));
        Assert.Equal("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2", error.Message);
    }

    [Fact]
    public async Task Scan_of_missing_table_is_ResourceNotFound()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.ScanAsync(new ScanRequest { TableName = "no-such-table" }));
    }

    /// <summary>Loads items fast: BatchWriteItem of 25, several batches in flight.</summary>
    private async Task<string> TableLoadedWithBatchesAsync(int count, int valueBytes)
    {
        var table = await CreateAsync(Client);
        var value = new string('x', valueBytes);
        await Parallel.ForEachAsync(Enumerable.Range(0, (count + 24) / 25), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batch, _) =>
            await Client.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new()
                {
                    [table] = Enumerable.Range(batch * 25, Math.Min(25, count - batch * 25))
                        .Select(i => new WriteRequest(new PutRequest(new() { ["pk"] = S($"item-{i}"), ["v"] = S(value) }))).ToList(),
                },
            }));
        return table;
    }

    [Fact]
    public async Task Scan_pages_through_10000_items_seeing_each_exactly_once()
    {
        var table = await TableLoadedWithBatchesAsync(10_000, valueBytes: 200);
        var items = await ScanAllAsync(table);
        Assert.Equal(10_000, items.Count);
        Assert.Equal(10_000, items.Select(i => i["pk"].S).Distinct().Count());
    }

    [Fact]
    public async Task Parallel_scan_with_more_segments_than_partitions_is_disjoint_and_complete()
    {
        var table = await TableWithItemsAsync(100);
        var all = new List<string>();
        for (var segment = 0; segment < 37; segment++)
        {
            var s = segment;
            all.AddRange((await ScanAllAsync(table, r => { r.Segment = s; r.TotalSegments = 37; r.Limit = 2; })).Select(i => i["pk"].S));
        }
        Assert.Equal(100, all.Count);
        Assert.Equal(100, all.Distinct().Count());
    }

    [Fact]
    public async Task Parallel_scan_accepts_a_million_segments()
    {
        var table = await TableWithItemsAsync(3);
        var response = await Client.ScanAsync(new ScanRequest { TableName = table, Segment = 999_999, TotalSegments = 1_000_000 });
        Assert.InRange(response.Count!.Value, 0, 3);
    }

    [Fact]
    public async Task Parallel_scan_rejects_an_ExclusiveStartKey_from_another_segment()
    {
        var table = await TableWithItemsAsync(40);
        var first = await Client.ScanAsync(new ScanRequest { TableName = table, Segment = 0, TotalSegments = 2, Limit = 1 });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ScanAsync(new ScanRequest
        {
            TableName = table, Segment = 1, TotalSegments = 2, ExclusiveStartKey = first.LastEvaluatedKey,
        }));
        Assert.Equal("The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 1", error.Message);
    }

    [Theory]
    [InlineData("COUNT", "sk", "Cannot specify the ProjectionExpression when choosing to get only the Count")]
    [InlineData("SPECIFIC_ATTRIBUTES", null, "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")]
    [InlineData("ALL_PROJECTED_ATTRIBUTES", null, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")]
    public async Task Scan_Select_rules_have_DynamoDBs_messages_without_the_validation_prefix(string select, string? projection, string message)
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.ScanAsync(new ScanRequest { TableName = table, Select = select, ProjectionExpression = projection }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Scan_COUNT_with_Limit_returns_counts_and_a_LastEvaluatedKey_but_no_items()
    {
        var table = await TableWithItemsAsync(5);
        var response = await Client.ScanAsync(new ScanRequest { TableName = table, Select = Select.COUNT, Limit = 1 });
        Assert.Equal(1, response.Count);
        Assert.Equal(1, response.ScannedCount);
        Assert.Null(response.Items);
        Assert.True(response.LastEvaluatedKey.Count > 0);
    }

    /// <summary>The two big checks on one load: 100,000 items of 1 KB. Also prints how long one
    /// full (sequential) Scan of them takes through the AWS SDK; a measurement, not an assertion.</summary>
    [Fact]
    public async Task Parallel_scan_with_4_segments_over_100000_items_returns_each_exactly_once()
    {
        var load = System.Diagnostics.Stopwatch.StartNew();
        var table = await TableLoadedWithBatchesAsync(100_000, valueBytes: 1000);
        output.WriteLine($"Loaded 100,000 items of 1 KB with BatchWriteItem in {load.Elapsed.TotalSeconds:F1} s");

        var parallel = System.Diagnostics.Stopwatch.StartNew();
        var segments = await Task.WhenAll(Enumerable.Range(0, 4).Select(segment =>
            ScanAllAsync(table, r => { r.Segment = segment; r.TotalSegments = 4; })));
        output.WriteLine($"Parallel scan, 4 segments: {parallel.Elapsed.TotalSeconds:F1} s");
        var keys = segments.SelectMany(items => items.Select(i => i["pk"].S)).ToList();
        Assert.Equal(100_000, keys.Count);
        Assert.Equal(100_000, keys.Distinct().Count());
        Assert.All(segments, items => Assert.NotEmpty(items));

        var full = System.Diagnostics.Stopwatch.StartNew();
        var all = await ScanAllAsync(table);
        output.WriteLine($"Full scan of 100,000 1 KB items: {full.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(100_000, all.Count);
    }
}
