using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class ScanTests(ServerFixture server)
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
}
