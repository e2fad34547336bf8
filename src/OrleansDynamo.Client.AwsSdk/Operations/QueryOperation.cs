using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class QueryOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.QueryRequest, QueryRequest, QueryResponse, Sdk.QueryResponse>(
        ToModel, static (db, r, ct) => db.QueryAsync(r, ct), ToSdk);

    private static QueryRequest ToModel(Sdk.QueryRequest r)
    {
        var reader = new AwsRequestReader();
        return reader.Done(new QueryRequest
        {
            AttributesToGet = AwsRequestReader.List(r.AttributesToGet),
            ConditionalOperator = r.ConditionalOperator?.Value,
            ConsistentRead = r.ConsistentRead,
            ExclusiveStartKey = reader.Item(r.ExclusiveStartKey),
            ExpressionAttributeNames = AwsRequestReader.Names(r.ExpressionAttributeNames),
            ExpressionAttributeValues = reader.ExpressionValues(r.ExpressionAttributeValues),
            FilterExpression = r.FilterExpression,
            IndexName = r.IndexName,
            KeyConditionExpression = r.KeyConditionExpression,
            KeyConditions = AwsLegacy.Conditions(reader, r.KeyConditions),
            Limit = r.Limit,
            ProjectionExpression = r.ProjectionExpression,
            QueryFilter = AwsLegacy.Conditions(reader, r.QueryFilter),
            ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            ScanIndexForward = r.ScanIndexForward,
            Select = r.Select?.Value,
            TableName = r.TableName,
        });
    }

    private static Sdk.QueryResponse ToSdk(QueryResponse r) => new()
    {
        Items = AwsValues.Items(r.Items),
        Count = r.Count,
        ScannedCount = r.ScannedCount,
        LastEvaluatedKey = AwsValues.Item(r.LastEvaluatedKey),
        ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
    };
}
