using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class DeleteItemOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DeleteItemRequest, DeleteItemRequest, DeleteItemResponse, Sdk.DeleteItemResponse>(
        ToModel, static (db, r, ct) => db.DeleteItemAsync(r, ct), ToSdk);

    private static DeleteItemRequest ToModel(Sdk.DeleteItemRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new DeleteItemRequest
        {
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
        });
    }

    private static Sdk.DeleteItemResponse ToSdk(DeleteItemResponse r) => new()
    {
        Attributes = AwsValues.Item(r.Attributes),
        ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
        ItemCollectionMetrics = AwsIndexes.Metrics(r.ItemCollectionMetrics),
    };
}
