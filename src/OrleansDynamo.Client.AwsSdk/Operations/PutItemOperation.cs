using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class PutItemOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.PutItemRequest, PutItemRequest, PutItemResponse, Sdk.PutItemResponse>(
        ToModel, static (db, r, ct) => db.PutItemAsync(r, ct), ToSdk);

    // Members in the SDK marshaller's (alphabetical) order: see AwsRequestReader.
    private static PutItemRequest ToModel(Sdk.PutItemRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new PutItemRequest
        {
            ConditionExpression = r.ConditionExpression,
            ConditionalOperator = r.ConditionalOperator?.Value,
            Expected = AwsLegacy.Expected(reader, r.Expected),
            ExpressionAttributeNames = AwsRequestReader.Names(r.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(r.ExpressionAttributeValues),
            Item = reader.Item(r.Item),
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            ReturnItemCollectionMetrics = r.ReturnItemCollectionMetrics?.Value,
            ReturnValues = r.ReturnValues?.Value,
            ReturnValuesOnConditionCheckFailure = r.ReturnValuesOnConditionCheckFailure?.Value,
            TableName = r.TableName,
        });
    }

    private static Sdk.PutItemResponse ToSdk(PutItemResponse r) => new()
    {
        Attributes = AwsValues.Item(r.Attributes),
        ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
        ItemCollectionMetrics = AwsIndexes.Metrics(r.ItemCollectionMetrics),
    };
}
