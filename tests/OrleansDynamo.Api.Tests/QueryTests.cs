using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class QueryTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private async Task<string> TableWithNumbersAsync(int count)
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        for (var i = 0; i < count; i++)
            await Client.PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N(i.ToString()), ["even"] = new() { BOOL = i % 2 == 0 } });
        await Client.PutItemAsync(table, new() { ["pk"] = S("other"), ["sk"] = N("1") });
        return table;
    }

    private Task<QueryResponse> QueryAsync(string table, string keyCondition, Dictionary<string, AttributeValue> values, Action<QueryRequest>? configure = null)
    {
        var request = new QueryRequest { TableName = table, KeyConditionExpression = keyCondition, ExpressionAttributeValues = values };
        configure?.Invoke(request);
        return Client.QueryAsync(request);
    }

    private static int[] SortKeys(QueryResponse response) => response.Items.Select(i => int.Parse(i["sk"].N)).ToArray();

    [Theory]
    [InlineData("pk = :p AND sk = :v", new[] { 5 })]
    [InlineData("pk = :p AND sk < :v", new[] { 0, 1, 2, 3, 4 })]
    [InlineData("pk = :p AND sk <= :v", new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData("pk = :p AND sk > :v", new[] { 6, 7, 8, 9, 10, 11 })]
    [InlineData("pk = :p AND sk >= :v", new[] { 5, 6, 7, 8, 9, 10, 11 })]
    [InlineData("pk = :p AND sk BETWEEN :v AND :w", new[] { 5, 6, 7 })]
    public async Task Query_sort_key_conditions_select_the_right_items(string condition, int[] expected)
    {
        var table = await TableWithNumbersAsync(12);
        var values = new Dictionary<string, AttributeValue> { [":p"] = S("p"), [":v"] = N("5") };
        if (condition.Contains(":w")) values[":w"] = N("7");
        Assert.Equal(expected, SortKeys(await QueryAsync(table, condition, values)));
    }

    [Fact]
    public async Task Query_orders_numbers_numerically_and_reverses_with_ScanIndexForward_false()
    {
        var table = await TableWithNumbersAsync(12);
        var values = new Dictionary<string, AttributeValue> { [":p"] = S("p") };
        Assert.Equal(Enumerable.Range(0, 12), SortKeys(await QueryAsync(table, "pk = :p", values)));
        Assert.Equal(Enumerable.Range(0, 12).Reverse(), SortKeys(await QueryAsync(table, "pk = :p", values, r => r.ScanIndexForward = false)));
    }

    [Fact]
    public async Task Query_begins_with_on_string_sort_key()
    {
        var table = await CreateAsync(Client, rangeKeyType: "S");
        foreach (var sk in new[] { "a#1", "a#2", "b#1", "a", "ab" })
            await Client.PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = S(sk) });
        var response = await QueryAsync(table, "pk = :p AND begins_with(sk, :prefix)", new() { [":p"] = S("p"), [":prefix"] = S("a#") });
        Assert.Equal(["a#1", "a#2"], response.Items.Select(i => i["sk"].S));
    }

    [Fact]
    public async Task Query_pages_with_Limit_and_LastEvaluatedKey_in_both_directions()
    {
        var table = await TableWithNumbersAsync(10);
        foreach (var forward in new[] { true, false })
        {
            var seen = new List<int>();
            Dictionary<string, AttributeValue>? start = null;
            var pages = 0;
            do
            {
                var page = await QueryAsync(table, "pk = :p", new() { [":p"] = S("p") }, r =>
                {
                    r.Limit = 3;
                    r.ExclusiveStartKey = start;
                    r.ScanIndexForward = forward;
                });
                seen.AddRange(SortKeys(page));
                start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
                if (start is not null) Assert.Equal(["pk", "sk"], start.Keys.Order());
                pages++;
            } while (start is not null);
            var expected = forward ? Enumerable.Range(0, 10) : Enumerable.Range(0, 10).Reverse();
            Assert.Equal(expected, seen);
            Assert.Equal(4, pages);
        }
    }

    [Fact]
    public async Task Query_filter_applies_after_Limit_and_counts_scanned_items()
    {
        var table = await TableWithNumbersAsync(10);
        var response = await QueryAsync(table, "pk = :p", new() { [":p"] = S("p"), [":t"] = new() { BOOL = true } }, r =>
        {
            r.FilterExpression = "even = :t";
            r.Limit = 4;
        });
        Assert.Equal([0, 2], SortKeys(response));
        Assert.Equal(2, response.Count);
        Assert.Equal(4, response.ScannedCount);
        Assert.Equal("3", response.LastEvaluatedKey["sk"].N);
    }

    [Fact]
    public async Task Query_Select_COUNT_returns_only_counts()
    {
        var table = await TableWithNumbersAsync(6);
        var response = await QueryAsync(table, "pk = :p", new() { [":p"] = S("p") }, r => r.Select = Select.COUNT);
        Assert.Equal(6, response.Count);
        Assert.Null(response.Items);
    }

    [Fact]
    public async Task Query_without_hash_key_condition_is_rejected()
    {
        var table = await TableWithNumbersAsync(1);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryAsync(table, "sk = :v", new() { [":v"] = N("1") }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("Query condition missed key schema element: pk", error.Message);
    }

    [Fact]
    public async Task Query_without_key_condition_is_rejected()
    {
        var table = await TableWithNumbersAsync(1);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.QueryAsync(new QueryRequest { TableName = table }));
        Assert.Equal("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.", error.Message);
    }

    [Fact]
    public async Task Query_with_ProjectionExpression_returns_projected_items()
    {
        var table = await TableWithNumbersAsync(3);
        var response = await QueryAsync(table, "pk = :p", new() { [":p"] = S("p") }, r => r.ProjectionExpression = "sk");
        Assert.All(response.Items, i => Assert.Equal(["sk"], i.Keys));
    }

    [Fact]
    public async Task Query_pages_through_10000_items_seeing_each_exactly_once()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, _) =>
            await Client.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new()
                {
                    [table] = Enumerable.Range(batch * 25, 25).Select(i => new WriteRequest(new PutRequest(new()
                    {
                        ["pk"] = S("p"), ["sk"] = N(i.ToString()), ["pad"] = S(new string('x', 200)),
                    }))).ToList(),
                },
            }));

        var seen = new List<int>();
        Dictionary<string, AttributeValue>? start = null;
        var pages = 0;
        do
        {
            var page = await QueryAsync(table, "pk = :p", new() { [":p"] = S("p") }, r => r.ExclusiveStartKey = start);
            seen.AddRange(SortKeys(page));
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
            pages++;
        } while (start is not null);

        Assert.Equal(Enumerable.Range(0, 10_000), seen);
        Assert.True(pages > 1, "10,000 items of ~220 bytes take more than one 1 MB page");
    }

    [Theory]
    [InlineData("ALL_ATTRIBUTES", "sk", "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")]
    [InlineData("COUNT", "sk", "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count")]
    [InlineData("SPECIFIC_ATTRIBUTES", null, "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")]
    [InlineData("ALL_PROJECTED_ATTRIBUTES", null, "1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")]
    public async Task Query_Select_rules_have_DynamoDBs_messages(string select, string? projection, string message)
    {
        var table = await TableWithNumbersAsync(1);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            QueryAsync(table, "pk = :p", new() { [":p"] = S("p") }, r => { r.Select = select; r.ProjectionExpression = projection; }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Query_SPECIFIC_ATTRIBUTES_with_projection_returns_projected_items()
    {
        var table = await TableWithNumbersAsync(2);
        var response = await QueryAsync(table, "pk = :p", new() { [":p"] = S("p") }, r => { r.Select = Select.SPECIFIC_ATTRIBUTES; r.ProjectionExpression = "even"; });
        Assert.All(response.Items, i => Assert.Equal(["even"], i.Keys));
    }
}
