using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class ScanOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ScanRequest, ScanRequest, ScanResponse, Sdk.ScanResponse>(
        ToModel, static (db, r, ct) => db.ScanAsync(r, ct), ToSdk);

    private static ScanRequest ToModel(Sdk.ScanRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new ScanRequest
        {
            AttributesToGet = AwsRequestReader.List(r.AttributesToGet),
            ConditionalOperator = r.ConditionalOperator?.Value,
            ConsistentRead = r.ConsistentRead,
            ExclusiveStartKey = reader.Item(r.ExclusiveStartKey),
            ExpressionAttributeNames = AwsRequestReader.Names(r.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(r.ExpressionAttributeValues),
            FilterExpression = r.FilterExpression,
            IndexName = r.IndexName,
            Limit = r.Limit,
            ProjectionExpression = r.ProjectionExpression,
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            ScanFilter = AwsLegacy.Conditions(reader, r.ScanFilter),
            Segment = r.Segment,
            Select = r.Select?.Value,
            TableName = r.TableName,
            TotalSegments = r.TotalSegments,
        });
    }

    private static Sdk.ScanResponse ToSdk(ScanResponse r) => new()
    {
        Items = AwsValues.Items(r.Items),
        Count = r.Count,
        ScannedCount = r.ScannedCount,
        LastEvaluatedKey = AwsValues.Item(r.LastEvaluatedKey),
        ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
    };
}
