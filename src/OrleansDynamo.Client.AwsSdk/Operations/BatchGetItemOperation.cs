using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class BatchGetItemOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.BatchGetItemRequest, BatchGetItemRequest, BatchGetItemResponse, Sdk.BatchGetItemResponse>(
        ToModel, static (db, r, ct) => db.BatchGetItemAsync(r, ct), ToSdk);

    private static BatchGetItemRequest ToModel(Sdk.BatchGetItemRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new BatchGetItemRequest
        {
            RequestItems = AwsRequestReader.IsSent(r.RequestItems)
                ? r.RequestItems.ToDictionary(e => e.Key, e => Read(reader, e.Value), StringComparer.Ordinal)
                : null,
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
        });
    }

    private static KeysAndAttributes Read(AwsRequestReader reader, Sdk.KeysAndAttributes? read) => read is null ? new KeysAndAttributes() : new KeysAndAttributes
    {
        AttributesToGet = AwsRequestReader.List(read.AttributesToGet),
        ConsistentRead = read.ConsistentRead,
        ExpressionAttributeNames = AwsRequestReader.Names(read.ExpressionAttributeNames),
        Keys = reader.Items(read.Keys),
        ProjectionExpression = read.ProjectionExpression,
    };

    private static Sdk.BatchGetItemResponse ToSdk(BatchGetItemResponse r) => new()
    {
        Responses = r.Responses.ToDictionary(e => e.Key, e => AwsValues.Items(e.Value)!),
        UnprocessedKeys = r.UnprocessedKeys.ToDictionary(e => e.Key, e => new Sdk.KeysAndAttributes
        {
            AttributesToGet = e.Value.AttributesToGet?.ToList(),
            ConsistentRead = e.Value.ConsistentRead,
            ExpressionAttributeNames = e.Value.ExpressionAttributeNames?.ToDictionary(),
            Keys = AwsValues.Items(e.Value.Keys),
            ProjectionExpression = e.Value.ProjectionExpression,
        }),
        ConsumedCapacity = AwsValues.Capacities(r.ConsumedCapacity),
    };
}
