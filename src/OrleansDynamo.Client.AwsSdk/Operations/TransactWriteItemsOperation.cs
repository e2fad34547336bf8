using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class TransactWriteItemsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.TransactWriteItemsRequest, TransactWriteItemsRequest, TransactWriteItemsResponse, Sdk.TransactWriteItemsResponse>(
        ToModel, static (db, r, ct) => db.TransactWriteItemsAsync(r, ct), ToSdk);

    private static TransactWriteItemsRequest ToModel(Sdk.TransactWriteItemsRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new TransactWriteItemsRequest
        {
            ClientRequestToken = r.ClientRequestToken,
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            ReturnItemCollectionMetrics = r.ReturnItemCollectionMetrics?.Value,
            TransactItems = AwsRequestReader.IsSent(r.TransactItems) ? r.TransactItems.Select(a => Action(reader, a)).ToList() : null,
        });
    }

    private static TransactWriteItem Action(AwsRequestReader reader, Sdk.TransactWriteItem? a) => a is null ? new TransactWriteItem() : new TransactWriteItem
    {
        ConditionCheck = a.ConditionCheck is { } c ? new ConditionCheck
        {
            ConditionExpression = c.ConditionExpression,
            ExpressionAttributeNames = AwsRequestReader.Names(c.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(c.ExpressionAttributeValues),
            Key = reader.Item(c.Key),
            ReturnValuesOnConditionCheckFailure = c.ReturnValuesOnConditionCheckFailure?.Value,
            TableName = c.TableName,
        } : null,
        Delete = a.Delete is { } d ? new DeleteItemRequest
        {
            ConditionExpression = d.ConditionExpression,
            ExpressionAttributeNames = AwsRequestReader.Names(d.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(d.ExpressionAttributeValues),
            Key = reader.Item(d.Key),
            ReturnValuesOnConditionCheckFailure = d.ReturnValuesOnConditionCheckFailure?.Value,
            TableName = d.TableName,
        } : null,
        Put = a.Put is { } p ? new PutItemRequest
        {
            ConditionExpression = p.ConditionExpression,
            ExpressionAttributeNames = AwsRequestReader.Names(p.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(p.ExpressionAttributeValues),
            Item = reader.Item(p.Item),
            ReturnValuesOnConditionCheckFailure = p.ReturnValuesOnConditionCheckFailure?.Value,
            TableName = p.TableName,
        } : null,
        Update = a.Update is { } u ? new UpdateItemRequest
        {
            ConditionExpression = u.ConditionExpression,
            ExpressionAttributeNames = AwsRequestReader.Names(u.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(u.ExpressionAttributeValues),
            Key = reader.Item(u.Key),
            ReturnValuesOnConditionCheckFailure = u.ReturnValuesOnConditionCheckFailure?.Value,
            TableName = u.TableName,
            UpdateExpression = u.UpdateExpression,
        } : null,
    };

    private static Sdk.TransactWriteItemsResponse ToSdk(TransactWriteItemsResponse r) => new()
    {
        ConsumedCapacity = AwsValues.Capacities(r.ConsumedCapacity),
        ItemCollectionMetrics = r.ItemCollectionMetrics?.ToDictionary(e => e.Key, e => e.Value.Select(m => AwsIndexes.Metrics(m)!).ToList()),
    };
}
