using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class UpdateItemOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.UpdateItemRequest, UpdateItemRequest, UpdateItemResponse, Sdk.UpdateItemResponse>(
        ToModel, static (db, r, ct) => db.UpdateItemAsync(r, ct), ToSdk);

    private static UpdateItemRequest ToModel(Sdk.UpdateItemRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new UpdateItemRequest
        {
            AttributeUpdates = AwsLegacy.Updates(reader, r.AttributeUpdates),
            ConditionExpression = r.ConditionExpression,
            ConditionalOperator = r.ConditionalOperator?.Value,
            Expected = AwsLegacy.Expected(reader, r.Expected),
            ExpressionAttributeNames = AwsRequestReader.Names(r.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(r.ExpressionAttributeValues),
            Key = reader.Item(r.Key),
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            ReturnItemCollectionMetrics = r.ReturnItemCollectionMetrics?.Value,
            ReturnValues = r.ReturnValues?.Value,
            ReturnValuesOnConditionCheckFailure = r.ReturnValuesOnConditionCheckFailure?.Value,
            TableName = r.TableName,
            UpdateExpression = r.UpdateExpression,
        });
    }

    private static Sdk.UpdateItemResponse ToSdk(UpdateItemResponse r) => new()
    {
        Attributes = AwsValues.Item(r.Attributes),
        ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
        ItemCollectionMetrics = AwsIndexes.Metrics(r.ItemCollectionMetrics),
    };
}
