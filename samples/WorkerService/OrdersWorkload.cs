using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Samples.WorkerService;

/// <summary>What the worker does with the typed API: a table of orders, a conditional write, a counter, a query.</summary>
public static class OrdersWorkload
{
    public const string TableName = "Orders";

    public static async Task RunAsync(IDynamoDb dynamoDb, TextWriter output, CancellationToken cancellationToken = default)
    {
        await CreateTableIfMissingAsync(dynamoDb, cancellationToken);

        for (var line = 1; line <= 3; line++)
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = TableName,
                Item = new Item([
                    new("Customer", AttributeValue.FromS("alice")),
                    new("OrderId", AttributeValue.FromN(line.ToString())),
                    new("Total", AttributeValue.FromN($"{line * 10}.50")),
                ]),
            }, cancellationToken);
        }

        // A second write of order 1 is refused: the condition says it must not exist yet.
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = TableName,
                Item = new Item([new("Customer", AttributeValue.FromS("alice")), new("OrderId", AttributeValue.FromN("1"))]),
                ConditionExpression = "attribute_not_exists(OrderId)",
            }, cancellationToken);
        }
        catch (DynamoException error) when (error.ErrorType == DynamoErrorTypes.ConditionalCheckFailed)
        {
            await output.WriteLineAsync($"duplicate order refused: {error.Message}");
        }

        var updated = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = TableName,
            Key = new Item([new("Customer", AttributeValue.FromS("alice")), new("OrderId", AttributeValue.FromN("2"))]),
            UpdateExpression = "ADD Shipments :one",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":one"] = AttributeValue.FromN("1") },
            ReturnValues = "UPDATED_NEW",
        }, cancellationToken);
        await output.WriteLineAsync($"order 2 shipments: {updated.Attributes!["Shipments"].N}");

        var orders = await dynamoDb.QueryAsync(new QueryRequest
        {
            TableName = TableName,
            KeyConditionExpression = "Customer = :c",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":c"] = AttributeValue.FromS("alice") },
        }, cancellationToken);
        foreach (var order in orders.Items!)
            await output.WriteLineAsync($"order {order["OrderId"].N}: {order["Total"].N}");
        await output.WriteLineAsync($"alice has {orders.Count} orders");
    }

    private static async Task CreateTableIfMissingAsync(IDynamoDb dynamoDb, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.CreateTableAsync(new CreateTableRequest
            {
                TableName = TableName,
                BillingMode = "PAY_PER_REQUEST",
                KeySchema = [new KeySchemaElement { AttributeName = "Customer", KeyType = "HASH" }, new KeySchemaElement { AttributeName = "OrderId", KeyType = "RANGE" }],
                AttributeDefinitions = [new AttributeDefinition { AttributeName = "Customer", AttributeType = "S" }, new AttributeDefinition { AttributeName = "OrderId", AttributeType = "N" }],
            }, cancellationToken);
        }
        catch (DynamoException error) when (error.ErrorType == DynamoErrorTypes.ResourceInUse)
        {
            // Created by an earlier run.
        }
    }
}
