using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class BatchWriteItemOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.BatchWriteItemRequest, BatchWriteItemRequest, BatchWriteItemResponse, Sdk.BatchWriteItemResponse>(
        ToModel, static (db, r, ct) => db.BatchWriteItemAsync(r, ct), ToSdk);

    private static BatchWriteItemRequest ToModel(Sdk.BatchWriteItemRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new BatchWriteItemRequest
        {
            RequestItems = AwsRequestReader.IsSent(r.RequestItems)
                ? r.RequestItems.ToDictionary(e => e.Key, e => Writes(reader, e.Value), StringComparer.Ordinal)
                : null,
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            ReturnItemCollectionMetrics = r.ReturnItemCollectionMetrics?.Value,
        });
    }

    // A table with no list of writes has no writes; the validator reports it as DynamoDB does.
    private static IReadOnlyList<WriteRequest> Writes(AwsRequestReader reader, List<Sdk.WriteRequest>? writes) =>
        writes is null ? [] : writes.Select(w => w is null ? new WriteRequest() : new WriteRequest
        {
            DeleteRequest = w.DeleteRequest is { } delete ? new DeleteRequest { Key = reader.Item(delete.Key) } : null,
            PutRequest = w.PutRequest is { } put ? new PutRequest { Item = reader.Item(put.Item) } : null,
        }).ToArray();

    private static Sdk.BatchWriteItemResponse ToSdk(BatchWriteItemResponse r) => new()
    {
        UnprocessedItems = r.UnprocessedItems.ToDictionary(e => e.Key, e => e.Value.Select(w => new Sdk.WriteRequest
        {
            DeleteRequest = w.DeleteRequest is { } delete ? new Sdk.DeleteRequest { Key = AwsValues.Item(delete.Key) } : null,
            PutRequest = w.PutRequest is { } put ? new Sdk.PutRequest { Item = AwsValues.Item(put.Item) } : null,
        }).ToList()),
        ConsumedCapacity = AwsValues.Capacities(r.ConsumedCapacity),
    };
}
