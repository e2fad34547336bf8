using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// The pre-expression parameters: Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter,
/// ScanFilter, ConditionalOperator, and DynamoDB's messages for them and for mixing them with expressions.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LegacyParameterTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static readonly Dictionary<string, AttributeValue> Key = new() { ["pk"] = S("k") };

    private async Task<string> TableWithItemAsync()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new()
        {
            ["pk"] = S("k"), ["n"] = N("5"), ["s"] = S("hello"), ["tags"] = new() { SS = ["red", "blue"] }, ["list"] = new() { L = [S("a")] },
        });
        return table;
    }

    private async Task<Dictionary<string, AttributeValue>> ItemAsync(string table) =>
        (await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key, ConsistentRead = true })).Item;

    private static async Task AssertValidationAsync(string message, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(call);
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(message, error.Message);
    }

    private Task<PutItemResponse> PutExpectingAsync(string table, Dictionary<string, ExpectedAttributeValue> expected, string? conditionalOperator = null) =>
        Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S("k"), ["n"] = N("5"), ["s"] = S("hello"), ["tags"] = new() { SS = ["red", "blue"] }, ["list"] = new() { L = [S("a")] } },
            Expected = expected,
            ConditionalOperator = conditionalOperator is null ? null : new ConditionalOperator(conditionalOperator),
        });

    private static ExpectedAttributeValue Compare(string op, params AttributeValue[] values) =>
        new() { ComparisonOperator = new ComparisonOperator(op), AttributeValueList = values.Length == 0 ? null : [.. values] };

    [Fact]
    public async Task Expected_Exists_false_keeps_an_existing_item()
    {
        var table = await TableWithItemAsync();
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => PutExpectingAsync(table, new() { ["pk"] = new() { Exists = false } }));
        await PutExpectingAsync(table, new() { ["other"] = new() { Exists = false }, ["n"] = new() { Value = N("5") } });
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() =>
            PutExpectingAsync(table, new() { ["n"] = new() { Value = N("6"), Exists = true } }));
    }

    [Theory]
    [InlineData("EQ", "n", true)]
    [InlineData("NE", "n", false)]
    [InlineData("NE", "missing", true)]
    [InlineData("LT", "n", false)]
    [InlineData("LE", "n", true)]
    [InlineData("GT", "n", false)]
    [InlineData("GE", "n", true)]
    [InlineData("NOT_NULL", "n", true)]
    [InlineData("NULL", "n", false)]
    [InlineData("NULL", "missing", true)]
    [InlineData("CONTAINS", "s", true)]
    [InlineData("NOT_CONTAINS", "s", false)]
    [InlineData("CONTAINS", "tags", true)]
    [InlineData("NOT_CONTAINS", "missing", true)]
    [InlineData("BEGINS_WITH", "s", true)]
    [InlineData("IN", "n", true)]
    [InlineData("BETWEEN", "n", true)]
    [InlineData("GT", "s", false)]
    public async Task Expected_ComparisonOperator_decides_the_write(string op, string attribute, bool passes)
    {
        var table = await TableWithItemAsync();
        AttributeValue[] values = op switch
        {
            "NULL" or "NOT_NULL" => [],
            "IN" => [N("1"), N("5")],
            "BETWEEN" => [N("4"), N("6")],
            "BEGINS_WITH" => [S("he")],
            "CONTAINS" or "NOT_CONTAINS" => [attribute == "tags" ? S("red") : S("ell")],
            _ => [attribute == "s" ? N("1") : N("5")],
        };
        var write = () => PutExpectingAsync(table, new() { [attribute] = Compare(op, values) });
        if (passes) await write();
        else await Assert.ThrowsAsync<ConditionalCheckFailedException>(write);
    }

    [Fact]
    public async Task Expected_entries_are_joined_by_ConditionalOperator()
    {
        var table = await TableWithItemAsync();
        var oneOfTwo = new Dictionary<string, ExpectedAttributeValue> { ["n"] = Compare("EQ", N("5")), ["s"] = Compare("EQ", S("bye")) };
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => PutExpectingAsync(table, oneOfTwo));
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => PutExpectingAsync(table, oneOfTwo, "AND"));
        await PutExpectingAsync(table, oneOfTwo, "OR");
    }

    [Fact]
    public async Task Expected_on_UpdateItem_and_DeleteItem_guards_the_write()
    {
        var table = await TableWithItemAsync();
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table, Key = Key, Expected = new() { ["n"] = Compare("GT", N("5")) },
        }));
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key, Expected = new() { ["n"] = new() { Exists = false } },
            AttributeUpdates = new() { ["n"] = new() { Action = AttributeAction.PUT, Value = N("1") } },
        }));
        await Client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = Key, Expected = new() { ["n"] = Compare("GE", N("5")) } });
        Assert.Null((await Client.GetItemAsync(table, Key)).Item);
    }

    [Fact]
    public async Task AttributeUpdates_PUT_ADD_and_DELETE_change_the_item()
    {
        var table = await TableWithItemAsync();
        var response = await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key,
            AttributeUpdates = new()
            {
                ["s"] = new() { Value = S("bye") }, // no Action means PUT
                ["n"] = new() { Action = AttributeAction.ADD, Value = N("2.5") },
                ["counter"] = new() { Action = AttributeAction.ADD, Value = N("1") },
                ["tags"] = new() { Action = AttributeAction.DELETE, Value = new() { SS = ["red"] } },
                ["list"] = new() { Action = AttributeAction.ADD, Value = new() { L = [S("b")] } },
                ["fresh"] = new() { Action = AttributeAction.ADD, Value = new() { NS = ["1"] } },
            },
            ReturnValues = ReturnValue.UPDATED_NEW,
        });
        Assert.Equal(["counter", "fresh", "list", "n", "s", "tags"], response.Attributes.Keys.Order());
        var item = await ItemAsync(table);
        Assert.Equal("bye", item["s"].S);
        Assert.Equal("7.5", item["n"].N);
        Assert.Equal("1", item["counter"].N);
        Assert.Equal(["blue"], item["tags"].SS);
        Assert.Equal(["a", "b"], item["list"].L.Select(v => v.S));
        Assert.Equal(["1"], item["fresh"].NS);

        await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key,
            AttributeUpdates = new() { ["s"] = new() { Action = AttributeAction.DELETE }, ["tags"] = new() { Action = AttributeAction.DELETE, Value = new() { SS = ["blue"] } } },
        });
        item = await ItemAsync(table);
        Assert.False(item.ContainsKey("s"));
        Assert.False(item.ContainsKey("tags"));
    }

    [Fact]
    public async Task AttributeUpdates_errors_use_DynamoDBs_legacy_messages()
    {
        var table = await TableWithItemAsync();
        Task Update(Dictionary<string, AttributeValueUpdate> updates) =>
            Client.UpdateItemAsync(new UpdateItemRequest { TableName = table, Key = Key, AttributeUpdates = updates });

        await AssertValidationAsync("Type mismatch for attribute to update",
            () => Update(new() { ["s"] = new() { Action = AttributeAction.ADD, Value = N("1") } }));
        await AssertValidationAsync("Type mismatch for attribute to update",
            () => Update(new() { ["n"] = new() { Action = AttributeAction.DELETE, Value = new() { NS = ["5"] } } }));
        await AssertValidationAsync("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
            () => Update(new() { ["pk"] = new() { Value = S("other") } }));
        await AssertValidationAsync("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
            () => Update(new() { ["s"] = new() { Action = AttributeAction.PUT } }));
        await AssertValidationAsync("One or more parameter values were invalid: DELETE action with value is not supported for the type N",
            () => Update(new() { ["n"] = new() { Action = AttributeAction.DELETE, Value = N("1") } }));
        await AssertValidationAsync("One or more parameter values were invalid: ADD action is not supported for the type S",
            () => Update(new() { ["s"] = new() { Action = AttributeAction.ADD, Value = S("x") } }));
        await AssertValidationAsync("1 validation error detected: Value 'UPSERT' at 'attributeUpdates.s.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
            () => Update(new() { ["s"] = new() { Action = new AttributeAction("UPSERT"), Value = S("x") } }));
        Assert.Equal("hello", (await ItemAsync(table))["s"].S);
    }

    [Fact]
    public async Task Expected_errors_use_DynamoDBs_legacy_messages()
    {
        var table = await TableWithItemAsync();
        async Task Fails(string message, ExpectedAttributeValue expected) =>
            await AssertValidationAsync(message, () => PutExpectingAsync(table, new() { ["n"] = expected }));

        await Fails("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n", new() { Exists = true });
        await Fails("One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: n", new() { Exists = false, Value = N("1") });
        await Fails("One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: n",
            new() { Exists = true, ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [N("1")] });
        await Fails("One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: n",
            new() { Value = N("1"), ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [N("1")] });
        await Fails("One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: n",
            new() { AttributeValueList = [N("1")] });
        await Fails("One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator", Compare("BETWEEN", N("1")));
        await Fails("One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator", Compare("NULL", N("1")));
        await Fails("One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type", Compare("IN", N("1"), S("1")));
        await Fails("One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type", Compare("LT", new AttributeValue { SS = ["a"] }));
        await Fails("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound", Compare("BETWEEN", N("9"), N("1")));
        await Fails("1 validation error detected: Value 'LIKE' at 'expected.n.member.comparisonOperator' failed to satisfy constraint: " +
            "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
            Compare("LIKE", N("1")));
    }

    [Fact]
    public async Task AttributesToGet_projects_GetItem_Query_and_Scan()
    {
        var table = await TableWithItemAsync();
        var got = await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key, AttributesToGet = ["n", "s", "missing"] });
        Assert.Equal(["n", "s"], got.Item.Keys.Order());

        var queried = await Client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditions = new() { ["pk"] = new() { ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [S("k")] } },
            AttributesToGet = ["tags"],
        });
        Assert.Equal(["tags"], queried.Items.Single().Keys);

        var scanned = await Client.ScanAsync(new ScanRequest { TableName = table, AttributesToGet = ["pk", "list"] });
        Assert.Equal(["list", "pk"], scanned.Items.Single().Keys.Order());

        await AssertValidationAsync("One or more parameter values were invalid: Duplicate value in attribute name: n",
            () => Client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key, AttributesToGet = ["n", "n"] }));
        await AssertValidationAsync("1 validation error detected: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES",
            () => Client.QueryAsync(new QueryRequest
            {
                TableName = table, Select = Select.ALL_ATTRIBUTES, AttributesToGet = ["n"],
                KeyConditions = new() { ["pk"] = new() { ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [S("k")] } },
            }));
    }

    private async Task<string> TableWithSortKeysAsync()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        for (var i = 0; i < 6; i++)
            await Client.PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N(i.ToString()), ["even"] = new() { BOOL = i % 2 == 0 }, ["tag"] = S($"t{i}"), ["num"] = N(i.ToString()) });
        await Client.PutItemAsync(table, new() { ["pk"] = S("other"), ["sk"] = N("1") });
        return table;
    }

    private static Condition Cond(string op, params AttributeValue[] values) =>
        new() { ComparisonOperator = new ComparisonOperator(op), AttributeValueList = values.Length == 0 ? null : [.. values] };

    private static int[] SortKeys(QueryResponse response) => response.Items.Select(i => int.Parse(i["sk"].N)).ToArray();

    [Fact]
    public async Task KeyConditions_select_by_partition_and_sort_key()
    {
        var table = await TableWithSortKeysAsync();
        Task<QueryResponse> Query(Condition sortKey) => Client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditions = new() { ["pk"] = Cond("EQ", S("p")), ["sk"] = sortKey },
        });
        Assert.Equal(new[] { 2, 3, 4 }, SortKeys(await Query(Cond("BETWEEN", N("2"), N("4")))));
        Assert.Equal(new[] { 4, 5 }, SortKeys(await Query(Cond("GE", N("4")))));
        Assert.Equal(new[] { 0, 1 }, SortKeys(await Query(Cond("LT", N("2")))));

        var onlyHash = await Client.QueryAsync(new QueryRequest { TableName = table, KeyConditions = new() { ["pk"] = Cond("EQ", S("other")) } });
        Assert.Equal([1], SortKeys(onlyHash));
    }

    [Fact]
    public async Task QueryFilter_with_ConditionalOperator_and_KeyConditions_with_FilterExpression()
    {
        var table = await TableWithSortKeysAsync();
        var keys = new Dictionary<string, Condition> { ["pk"] = Cond("EQ", S("p")) };
        var and = await Client.QueryAsync(new QueryRequest
        {
            TableName = table, KeyConditions = keys,
            QueryFilter = new() { ["num"] = Cond("GE", N("2")), ["tag"] = Cond("IN", S("t1"), S("t2")) },
        });
        Assert.Equal([2], SortKeys(and));
        Assert.Equal(6, and.ScannedCount);

        var or = await Client.QueryAsync(new QueryRequest
        {
            TableName = table, KeyConditions = keys, ConditionalOperator = ConditionalOperator.OR,
            QueryFilter = new() { ["tag"] = Cond("EQ", S("t1")), ["num"] = Cond("GT", N("3")) },
        });
        Assert.Equal([1, 4, 5], SortKeys(or));

        var mixedAllowed = await Client.QueryAsync(new QueryRequest
        {
            TableName = table, KeyConditions = keys, FilterExpression = "even = :t", ExpressionAttributeValues = new() { [":t"] = new() { BOOL = false } },
        });
        Assert.Equal([1, 3, 5], SortKeys(mixedAllowed));
    }

    [Fact]
    public async Task KeyConditions_errors_use_DynamoDBs_messages()
    {
        var table = await TableWithSortKeysAsync();
        Task Query(Dictionary<string, Condition> conditions) => Client.QueryAsync(new QueryRequest { TableName = table, KeyConditions = conditions });

        await AssertValidationAsync("Attempted conditional constraint is not an indexable operation",
            () => Query(new() { ["pk"] = Cond("EQ", S("p")), ["sk"] = Cond("NE", N("1")) }));
        await AssertValidationAsync("Query key condition not supported", () => Query(new() { ["pk"] = Cond("BEGINS_WITH", S("p")) }));
        await AssertValidationAsync("Query condition missed key schema element: pk", () => Query(new() { ["sk"] = Cond("EQ", N("1")) }));
        await AssertValidationAsync("Conditions can be of length 1 or 2 only",
            () => Query(new() { ["pk"] = Cond("EQ", S("p")), ["sk"] = Cond("EQ", N("1")), ["x"] = Cond("EQ", N("1")) }));
        await AssertValidationAsync("One or more parameter values were invalid: Condition parameter type does not match schema type",
            () => Query(new() { ["pk"] = Cond("EQ", S("p")), ["sk"] = Cond("EQ", S("1")) }));
        await AssertValidationAsync("1 validation error detected: Value null at 'keyConditions.pk.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
            () => Query(new() { ["pk"] = new Condition { AttributeValueList = [S("p")] } }));
        await AssertValidationAsync("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            () => Client.QueryAsync(new QueryRequest { TableName = table }));
    }

    [Fact]
    public async Task ScanFilter_applies_legacy_operators()
    {
        var table = await TableWithSortKeysAsync();
        async Task<int> Count(Dictionary<string, Condition> filter, string? op = null) =>
            (await Client.ScanAsync(new ScanRequest { TableName = table, ScanFilter = filter, ConditionalOperator = op is null ? null : new ConditionalOperator(op) })).Count ?? 0;

        Assert.Equal(1, await Count(new() { ["tag"] = Cond("NULL") }));
        // NOT_CONTAINS holds for an item without the attribute, as NOT contains(...) does.
        Assert.Equal(6, await Count(new() { ["tag"] = Cond("NOT_CONTAINS", S("3")) }));
        Assert.Equal(6, await Count(new() { ["tag"] = Cond("BEGINS_WITH", S("t")) }));
        Assert.Equal(3, await Count(new() { ["sk"] = Cond("IN", N("0"), N("1")), ["even"] = Cond("NULL") }, "OR"));
        await AssertValidationAsync("One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
            () => Count(new() { ["sk"] = Cond("BEGINS_WITH", N("1")) }));
    }

    [Fact]
    public async Task Mixing_legacy_and_expression_parameters_is_rejected()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
            () => Client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key, AttributesToGet = ["n"], ProjectionExpression = "n" }));
        await AssertValidationAsync("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
            () => Client.PutItemAsync(new PutItemRequest
            {
                TableName = table, Item = Key, Expected = new() { ["n"] = new() { Exists = false } }, ConditionExpression = "attribute_exists(n)",
            }));
        await AssertValidationAsync("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}",
            () => Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table, Key = Key,
                AttributeUpdates = new() { ["n"] = new() { Value = N("1") } }, Expected = new() { ["n"] = new() { Exists = false } },
                UpdateExpression = "REMOVE n", ConditionExpression = "attribute_exists(n)",
            }));
        await AssertValidationAsync("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}",
            () => Client.QueryAsync(new QueryRequest
            {
                TableName = table, AttributesToGet = ["n"], ConditionalOperator = ConditionalOperator.OR,
                QueryFilter = new() { ["n"] = Cond("NULL") }, KeyConditions = new() { ["pk"] = Cond("EQ", S("k")) },
                ProjectionExpression = "n", FilterExpression = "attribute_exists(n)", KeyConditionExpression = "pk = :k",
                ExpressionAttributeValues = new() { [":k"] = S("k") },
            }));
        await AssertValidationAsync("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter, ConditionalOperator} Expression parameters: {FilterExpression}",
            () => Client.ScanAsync(new ScanRequest
            {
                TableName = table, ScanFilter = new() { ["n"] = Cond("NULL") }, ConditionalOperator = ConditionalOperator.AND, FilterExpression = "attribute_exists(n)",
            }));
    }
}
