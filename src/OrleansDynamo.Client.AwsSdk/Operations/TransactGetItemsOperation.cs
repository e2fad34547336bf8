using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class TransactGetItemsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.TransactGetItemsRequest, TransactGetItemsRequest, TransactGetItemsResponse, Sdk.TransactGetItemsResponse>(
        ToModel, static (db, r, ct) => db.TransactGetItemsAsync(r, ct), ToSdk);

    private static TransactGetItemsRequest ToModel(Sdk.TransactGetItemsRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new TransactGetItemsRequest
        {
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            TransactItems = AwsRequestReader.IsSent(r.TransactItems)
                ? r.TransactItems.Select(g => new TransactGetItem
                {
                    Get = g?.Get is { } get ? new GetItemRequest
                    {
                        ExpressionAttributeNames = AwsRequestReader.Names(get.ExpressionAttributeNames),
                        Key = reader.Item(get.Key),
                        ProjectionExpression = get.ProjectionExpression,
                        TableName = get.TableName,
                    } : null,
                }).ToList()
                : null,
        });
    }

    private static Sdk.TransactGetItemsResponse ToSdk(TransactGetItemsResponse r) => new()
    {
        Responses = r.Responses.Select(item => new Sdk.ItemResponse { Item = AwsValues.Item(item.Item) }).ToList(),
        ConsumedCapacity = AwsValues.Capacities(r.ConsumedCapacity),
    };
}
