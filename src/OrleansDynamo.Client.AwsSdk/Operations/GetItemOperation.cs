using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class GetItemOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.GetItemRequest, GetItemRequest, GetItemResponse, Sdk.GetItemResponse>(
        ToModel, static (db, r, ct) => db.GetItemAsync(r, ct), ToSdk);

    private static GetItemRequest ToModel(Sdk.GetItemRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new GetItemRequest
        {
            AttributesToGet = AwsRequestReader.List(r.AttributesToGet),
            ConsistentRead = r.ConsistentRead,
            ExpressionAttributeNames = AwsRequestReader.Names(r.ExpressionAttributeNames),
            Key = reader.Item(r.Key),
            ProjectionExpression = r.ProjectionExpression,
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            TableName = r.TableName,
        });
    }

    private static Sdk.GetItemResponse ToSdk(GetItemResponse r) => new()
    {
        Item = AwsValues.Item(r.Item),
        ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
    };
}
