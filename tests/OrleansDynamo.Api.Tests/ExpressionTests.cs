using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>The expression language on real requests: grammar, functions, update actions, ReturnValues and errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExpressionTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static readonly Dictionary<string, AttributeValue> Key = new() { ["pk"] = S("k") };

    /// <summary>A table holding one item with a reserved-word attribute, sets, a list and nested maps.</summary>
    private async Task<string> TableWithItemAsync()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new()
        {
            ["pk"] = S("k"),
            ["name"] = S("widget"),
            ["n"] = N("5"),
            ["tags"] = new() { SS = ["red", "blue"] },
            ["nums"] = new() { NS = ["1", "2"] },
            ["parts"] = new() { L = [S("a"), S("b"), S("c")] },
            ["doc"] = new() { M = new() { ["nested"] = new() { M = new() { ["deep"] = N("1") } }, ["greeting"] = S("hello") } },
        });
        return table;
    }

    private async Task<Dictionary<string, AttributeValue>> ItemAsync(string table) =>
        (await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key, ConsistentRead = true })).Item;

    private Task<UpdateItemResponse> UpdateAsync(string table, string update, Dictionary<string, AttributeValue>? values = null,
        Action<UpdateItemRequest>? configure = null)
    {
        var request = new UpdateItemRequest { TableName = table, Key = Key, UpdateExpression = update, ExpressionAttributeValues = values };
        configure?.Invoke(request);
        return Client.UpdateItemAsync(request);
    }

    private static async Task AssertValidationAsync(string message, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(call);
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(message, error.Message);
    }

    private Task PutWithConditionAsync(string table, string condition, Dictionary<string, AttributeValue>? values = null,
        Dictionary<string, string>? names = null) =>
        Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S("k"), ["replaced"] = new() { BOOL = true } },
            ConditionExpression = condition,
            ExpressionAttributeValues = values,
            ExpressionAttributeNames = names,
        });

    [Fact]
    public async Task Condition_reads_nested_map_members_and_list_elements()
    {
        var table = await TableWithItemAsync();
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() =>
            PutWithConditionAsync(table, "parts[5] = :b", new() { [":b"] = S("b") }));
        await PutWithConditionAsync(table, "doc.nested.deep = :one AND parts[1] = :b", new() { [":one"] = N("1"), [":b"] = S("b") });
        Assert.True((await ItemAsync(table))["replaced"].BOOL);
    }

    [Fact]
    public async Task Condition_functions_size_contains_attribute_type_and_begins_with()
    {
        var table = await TableWithItemAsync();
        var values = new Dictionary<string, AttributeValue> { [":two"] = N("2"), [":red"] = S("red"), [":L"] = S("L"), [":p"] = S("he") };
        const string condition = "size(tags) = :two AND contains(tags, :red) AND attribute_type(parts, :L) AND begins_with(doc.greeting, :p)";
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => PutWithConditionAsync(table, condition,
            new(values) { [":p"] = S("hi") }));
        await PutWithConditionAsync(table, condition, values);
    }

    [Fact]
    public async Task Filter_with_IN_BETWEEN_and_NOT_selects_by_value()
    {
        var table = await CreateAsync(Client);
        for (var i = 1; i <= 5; i++) await Client.PutItemAsync(table, new() { ["pk"] = S($"k{i}"), ["count"] = N(i.ToString()) });
        var names = new Dictionary<string, string> { ["#c"] = "count" };
        async Task<int[]> ScanAsync(string filter, Dictionary<string, AttributeValue> values) =>
            (await Client.ScanAsync(new ScanRequest { TableName = table, FilterExpression = filter, ExpressionAttributeNames = names, ExpressionAttributeValues = values }))
            .Items.Select(i => int.Parse(i["count"].N)).Order().ToArray();

        Assert.Equal(new[] {2, 3, 4}, await ScanAsync("#c BETWEEN :lo AND :hi", new() { [":lo"] = N("2"), [":hi"] = N("4") }));
        Assert.Equal(new[] {1, 5}, await ScanAsync("#c IN (:a, :b)", new() { [":a"] = N("1"), [":b"] = N("5") }));
        Assert.Equal(new[] {2, 3, 4}, await ScanAsync("NOT #c IN (:a, :b)", new() { [":a"] = N("1"), [":b"] = N("5") }));
        Assert.Equal(new[] {1, 5}, await ScanAsync("#c < :lo OR #c > :hi AND attribute_exists(pk)", new() { [":lo"] = N("2"), [":hi"] = N("4") }));
    }

    [Fact]
    public async Task Comparison_across_types_is_false_not_an_error()
    {
        var table = await TableWithItemAsync();
        var response = await Client.ScanAsync(new ScanRequest
        {
            TableName = table,
            FilterExpression = "n > :text",
            ExpressionAttributeValues = new() { [":text"] = S("1") },
        });
        Assert.Equal(0, response.Count);
        Assert.Equal(1, response.ScannedCount);
    }

    [Fact]
    public async Task Update_SET_with_if_not_exists_arithmetic_and_list_append()
    {
        var table = await TableWithItemAsync();
        var values = new Dictionary<string, AttributeValue> { [":zero"] = N("0"), [":one"] = N("1"), [":more"] = new() { L = [S("d")] } };
        await UpdateAsync(table, "SET hits = if_not_exists(hits, :zero) + :one, parts = list_append(parts, :more)", values);
        await UpdateAsync(table, "SET hits = if_not_exists(hits, :zero) + :one, n = n - :one", new() { [":zero"] = N("0"), [":one"] = N("1") });
        var item = await ItemAsync(table);
        Assert.Equal("2", item["hits"].N);
        Assert.Equal("4", item["n"].N);
        Assert.Equal(["a", "b", "c", "d"], item["parts"].L.Select(v => v.S));
    }

    [Fact]
    public async Task Update_SET_writes_into_nested_maps_and_list_elements()
    {
        var table = await TableWithItemAsync();
        await UpdateAsync(table, "SET doc.nested.added = :v, parts[0] = :z", new() { [":v"] = S("new"), [":z"] = S("z") });
        var item = await ItemAsync(table);
        Assert.Equal("new", item["doc"].M["nested"].M["added"].S);
        Assert.Equal("1", item["doc"].M["nested"].M["deep"].N);
        Assert.Equal(["z", "b", "c"], item["parts"].L.Select(v => v.S));
    }

    [Fact]
    public async Task Update_ADD_and_DELETE_on_sets_and_a_DELETE_that_empties_a_set_removes_it()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [tags], path two: [tags]",
            () => UpdateAsync(table, "ADD tags :green DELETE tags :red", new() { [":green"] = new() { SS = ["green"] }, [":red"] = new() { SS = ["red"] } }));
        await UpdateAsync(table, "ADD tags :green, nums :three", new() { [":green"] = new() { SS = ["green"] }, [":three"] = new() { NS = ["3"] } });
        await UpdateAsync(table, "DELETE tags :red", new() { [":red"] = new() { SS = ["red"] } });
        var item = await ItemAsync(table);
        Assert.Equal(["blue", "green"], item["tags"].SS.Order());
        Assert.Equal(["1", "2", "3"], item["nums"].NS.Order());

        await UpdateAsync(table, "DELETE tags :all", new() { [":all"] = new() { SS = ["blue", "green"] } });
        Assert.False((await ItemAsync(table)).ContainsKey("tags"));
    }

    [Fact]
    public async Task Update_REMOVE_of_list_elements_removes_the_named_indexes()
    {
        var table = await TableWithItemAsync();
        await UpdateAsync(table, "REMOVE parts[0], parts[2], doc.nested");
        var item = await ItemAsync(table);
        Assert.Equal(["b"], item["parts"].L.Select(v => v.S));
        Assert.Equal(["greeting"], item["doc"].M.Keys);
    }

    [Fact]
    public async Task ProjectionExpression_returns_nested_members_and_list_elements()
    {
        var table = await TableWithItemAsync();
        var item = (await Client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = Key,
            ProjectionExpression = "doc.nested.deep, parts[2], #n",
            ExpressionAttributeNames = new() { ["#n"] = "name" },
        })).Item;
        Assert.Equal(["doc", "name", "parts"], item.Keys.Order());
        Assert.Equal(["nested"], item["doc"].M.Keys);
        Assert.Equal(["c"], item["parts"].L.Select(v => v.S));
    }

    [Fact]
    public async Task Update_ReturnValues_give_old_or_new_item_or_only_the_updated_parts()
    {
        var table = await TableWithItemAsync();
        var values = new Dictionary<string, AttributeValue> { [":v"] = N("2") };
        var none = await UpdateAsync(table, "SET doc.nested.deep = :v", values, r => r.ReturnValues = ReturnValue.NONE);
        Assert.Null(none.Attributes);

        var updatedOld = await UpdateAsync(table, "SET doc.nested.deep = :v", new() { [":v"] = N("3") }, r => r.ReturnValues = ReturnValue.UPDATED_OLD);
        Assert.Equal(["doc"], updatedOld.Attributes.Keys);
        Assert.Equal(["nested"], updatedOld.Attributes["doc"].M.Keys);
        Assert.Equal("2", updatedOld.Attributes["doc"].M["nested"].M["deep"].N);

        var updatedNew = await UpdateAsync(table, "SET n = :v", values, r => r.ReturnValues = ReturnValue.UPDATED_NEW);
        Assert.Equal(["n"], updatedNew.Attributes.Keys);
        Assert.Equal("2", updatedNew.Attributes["n"].N);

        var allOld = await UpdateAsync(table, "SET n = :v", new() { [":v"] = N("9") }, r => r.ReturnValues = ReturnValue.ALL_OLD);
        Assert.Equal("2", allOld.Attributes["n"].N);
        Assert.Equal("widget", allOld.Attributes["name"].S);

        var allNew = await UpdateAsync(table, "REMOVE #n", null, r =>
        {
            r.ReturnValues = ReturnValue.ALL_NEW;
            r.ExpressionAttributeNames = new() { ["#n"] = "name" };
        });
        Assert.False(allNew.Attributes.ContainsKey("name"));
        Assert.Equal("9", allNew.Attributes["n"].N);
    }

    [Fact]
    public async Task ReturnValuesOnConditionCheckFailure_ALL_OLD_puts_the_item_in_the_error()
    {
        var table = await TableWithItemAsync();
        var update = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => UpdateAsync(table, "SET n = :v",
            new() { [":v"] = N("1") }, r =>
            {
                r.ConditionExpression = "attribute_not_exists(pk)";
                r.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
            }));
        Assert.Equal("widget", update.Item["name"].S);

        var delete = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table,
            Key = Key,
            ConditionExpression = "n = :v",
            ExpressionAttributeValues = new() { [":v"] = N("6") },
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        }));
        Assert.Equal("5", delete.Item["n"].N);

        var withoutItem = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table,
            Key = Key,
            ConditionExpression = "n = :v",
            ExpressionAttributeValues = new() { [":v"] = N("6") },
        }));
        Assert.True(withoutItem.Item is null or { Count: 0 });
    }

    [Fact]
    public async Task Unused_and_undefined_placeholders_are_rejected()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
            () => PutWithConditionAsync(table, "n = :v", new() { [":v"] = N("5"), [":unused"] = N("1") }));
        await AssertValidationAsync("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
            () => PutWithConditionAsync(table, "attribute_exists(n)", names: new() { ["#unused"] = "x" }));
        await AssertValidationAsync("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing",
            () => PutWithConditionAsync(table, "n = :missing", new() { [":v"] = N("5") }));
        await AssertValidationAsync("Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing",
            () => PutWithConditionAsync(table, "attribute_exists(#missing)"));
    }

    [Fact]
    public async Task Reserved_words_need_a_name_placeholder()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
            () => PutWithConditionAsync(table, "attribute_exists(name)"));
        await PutWithConditionAsync(table, "attribute_exists(#name)", names: new() { ["#name"] = "name" });
    }

    [Fact]
    public async Task Overlapping_and_conflicting_update_paths_are_rejected()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [doc], path two: [doc, nested]",
            () => UpdateAsync(table, "SET doc = :v REMOVE doc.nested", new() { [":v"] = S("x") }));
        await AssertValidationAsync("Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [parts, [1]], path two: [parts, b]",
            () => UpdateAsync(table, "SET parts[1] = :v, parts.b = :v", new() { [":v"] = S("x") }));
    }

    [Fact]
    public async Task Updating_a_key_attribute_is_rejected()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
            () => UpdateAsync(table, "SET pk = :v", new() { [":v"] = S("other") }));
    }

    [Fact]
    public async Task Operands_of_the_wrong_type_are_rejected_before_and_during_the_update()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
            () => UpdateAsync(table, "ADD n :s", new() { [":s"] = S("x") }));
        await AssertValidationAsync("An operand in the update expression has an incorrect data type",
            () => UpdateAsync(table, "SET n = list_append(n, :more)", new() { [":more"] = new() { L = [S("x")] } }));
        await AssertValidationAsync("An operand in the update expression has an incorrect data type",
            () => UpdateAsync(table, "ADD #name :one", new() { [":one"] = N("1") }, r => r.ExpressionAttributeNames = new() { ["#name"] = "name" }));
        Assert.Equal("5", (await ItemAsync(table))["n"].N);
    }

    [Fact]
    public async Task Syntax_errors_name_the_token_and_where_it_is()
    {
        var table = await TableWithItemAsync();
        await AssertValidationAsync("Invalid UpdateExpression: Syntax error; token: \":\", near: \"hits : incr\"",
            () => UpdateAsync(table, "SET hits : incr"));
    }
}
