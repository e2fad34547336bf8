using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class ConsumedCapacityTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    /// <summary>An item of about <paramref name="bytes"/> bytes by DynamoDB's size rules ("pk" + key + "v" + value).</summary>
    private static Dictionary<string, AttributeValue> ItemOfSize(string pk, int bytes) =>
        new() { ["pk"] = S(pk), ["v"] = S(new string('x', bytes - 2 - pk.Length - 1)) };

    [Fact]
    public async Task GetItem_reads_cost_half_a_unit_per_4_KB_eventually_consistent_and_a_unit_strongly()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, ItemOfSize("a", 5000));
        var eventual = await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, ReturnConsumedCapacity = "TOTAL" });
        var strong = await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, ReturnConsumedCapacity = "TOTAL", ConsistentRead = true });
        var missing = await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = S("b") }, ReturnConsumedCapacity = "TOTAL" });

        Assert.Equal(table, eventual.ConsumedCapacity.TableName);
        Assert.Equal(1.0, eventual.ConsumedCapacity.CapacityUnits);
        Assert.Equal(2.0, strong.ConsumedCapacity.CapacityUnits);
        Assert.Equal(0.5, missing.ConsumedCapacity.CapacityUnits);
        Assert.Null(eventual.ConsumedCapacity.Table);
    }

    [Fact]
    public async Task Capacity_is_not_returned_with_NONE_or_without_asking()
    {
        var table = await CreateAsync(Client);
        var put = await Client.PutItemAsync(new PutItemRequest { TableName = table, Item = new() { ["pk"] = S("a") }, ReturnConsumedCapacity = "NONE" });
        var get = await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = S("a") } });
        Assert.Null(put.ConsumedCapacity);
        Assert.Null(get.ConsumedCapacity);
    }

    [Fact]
    public async Task Writes_cost_a_unit_per_KB_of_the_larger_of_old_and_new_item_and_INDEXES_adds_the_table()
    {
        var table = await CreateAsync(Client);
        var first = await Client.PutItemAsync(new PutItemRequest { TableName = table, Item = ItemOfSize("a", 2500), ReturnConsumedCapacity = "INDEXES" });
        var replaceWithSmall = await Client.PutItemAsync(new PutItemRequest { TableName = table, Item = ItemOfSize("a", 100), ReturnConsumedCapacity = "TOTAL" });
        var update = await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("a") },
            UpdateExpression = "SET w = :w",
            ExpressionAttributeValues = new() { [":w"] = S(new string('y', 1500)) },
            ReturnConsumedCapacity = "TOTAL",
        });
        var delete = await Client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, ReturnConsumedCapacity = "TOTAL" });
        var deleteMissing = await Client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, ReturnConsumedCapacity = "TOTAL" });

        Assert.Equal(3.0, first.ConsumedCapacity.CapacityUnits);
        Assert.Equal(3.0, first.ConsumedCapacity.Table.CapacityUnits);
        Assert.Equal(3.0, replaceWithSmall.ConsumedCapacity.CapacityUnits);
        Assert.Equal(2.0, update.ConsumedCapacity.CapacityUnits);
        Assert.Equal(2.0, delete.ConsumedCapacity.CapacityUnits);
        Assert.Equal(1.0, deleteMissing.ConsumedCapacity.CapacityUnits);
    }

    [Fact]
    public async Task Query_and_Scan_round_the_size_of_all_items_read_up_to_4_KB_once_before_the_filter()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        for (var i = 0; i < 10; i++)
            await Client.PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N(i.ToString()), ["v"] = S(new string('x', 1000)) });

        var query = await Client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "pk = :p",
            FilterExpression = "attribute_not_exists(v)",
            ExpressionAttributeValues = new() { [":p"] = S("p") },
            ReturnConsumedCapacity = "TOTAL",
            ConsistentRead = true,
        });
        var scan = await Client.ScanAsync(new ScanRequest { TableName = table, ReturnConsumedCapacity = "INDEXES" });

        // Ten items of a little over 1 KB: 3 units strongly consistent, 1.5 eventually consistent.
        Assert.Equal(0, query.Count);
        Assert.Equal(3.0, query.ConsumedCapacity.CapacityUnits);
        Assert.Equal(1.5, scan.ConsumedCapacity.CapacityUnits);
        Assert.Equal(1.5, scan.ConsumedCapacity.Table.CapacityUnits);
    }

    [Fact]
    public async Task Batch_operations_report_capacity_per_table()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        var write = await Client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [first] = [new WriteRequest(new PutRequest(ItemOfSize("a", 1500))), new WriteRequest(new PutRequest(ItemOfSize("b", 10)))],
                [second] = [new WriteRequest(new PutRequest(ItemOfSize("c", 10)))],
            },
            ReturnConsumedCapacity = "TOTAL",
        });
        Assert.Equal(3.0, write.ConsumedCapacity.Single(c => c.TableName == first).CapacityUnits);
        Assert.Equal(1.0, write.ConsumedCapacity.Single(c => c.TableName == second).CapacityUnits);

        var read = await Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [first] = new KeysAndAttributes { Keys = [new() { ["pk"] = S("a") }, new() { ["pk"] = S("b") }], ConsistentRead = true },
                [second] = new KeysAndAttributes { Keys = [new() { ["pk"] = S("c") }] },
            },
            ReturnConsumedCapacity = "INDEXES",
        });
        Assert.Equal(2.0, read.ConsumedCapacity.Single(c => c.TableName == first).CapacityUnits);
        Assert.Equal(0.5, read.ConsumedCapacity.Single(c => c.TableName == second).Table.CapacityUnits);
    }

    [Fact]
    public async Task An_unknown_ReturnConsumedCapacity_is_a_constraint_violation()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() =>
            Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = S("a") }, ReturnConsumedCapacity = "ALL" }));
        Assert.Equal("1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", error.Message);
    }
}
