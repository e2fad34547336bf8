using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class ExecuteStatementOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ExecuteStatementRequest, ExecuteStatementRequest, ExecuteStatementResponse, Sdk.ExecuteStatementResponse>(
        static r =>
        {
            var reader = new AwsRequestReader();
            return reader.Done(new ExecuteStatementRequest
            {
                Statement = r.Statement,
                Parameters = reader.Values(r.Parameters),
                ConsistentRead = r.ConsistentRead,
                NextToken = r.NextToken,
                Limit = r.Limit,
                ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
                ReturnValuesOnConditionCheckFailure = r.ReturnValuesOnConditionCheckFailure?.Value,
            });
        },
        static (db, r, ct) => db.ExecuteStatementAsync(r, ct),
        static r => new Sdk.ExecuteStatementResponse
        {
            Items = AwsValues.Items(r.Items),
            NextToken = r.NextToken,
            LastEvaluatedKey = AwsValues.Item(r.LastEvaluatedKey),
            ConsumedCapacity = AwsValues.Capacity(r.ConsumedCapacity),
        });
}

internal static class BatchExecuteStatementOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.BatchExecuteStatementRequest, BatchExecuteStatementRequest, BatchExecuteStatementResponse, Sdk.BatchExecuteStatementResponse>(
        static r =>
        {
            var reader = new AwsRequestReader();
            return reader.Done(new BatchExecuteStatementRequest
            {
                Statements = AwsRequestReader.IsSent(r.Statements)
                    ? r.Statements.Select(s => new BatchStatementRequest
                    {
                        Statement = s?.Statement,
                        Parameters = reader.Values(s?.Parameters),
                        ConsistentRead = s?.ConsistentRead,
                        ReturnValuesOnConditionCheckFailure = s?.ReturnValuesOnConditionCheckFailure?.Value,
                    }).ToList()
                    : null,
                ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            });
        },
        static (db, r, ct) => db.BatchExecuteStatementAsync(r, ct),
        static r => new Sdk.BatchExecuteStatementResponse
        {
            Responses = r.Responses.Select(s => new Sdk.BatchStatementResponse
            {
                TableName = s.TableName,
                Item = AwsValues.Item(s.Item),
                Error = s.Error is { } error
                    ? new Sdk.BatchStatementError { Code = error.Code, Message = error.Message, Item = AwsValues.Item(error.Item) }
                    : null,
            }).ToList(),
            ConsumedCapacity = AwsValues.Capacities(r.ConsumedCapacity),
        });
}

internal static class ExecuteTransactionOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ExecuteTransactionRequest, ExecuteTransactionRequest, ExecuteTransactionResponse, Sdk.ExecuteTransactionResponse>(
        static r =>
        {
            var reader = new AwsRequestReader();
            return reader.Done(new ExecuteTransactionRequest
            {
                TransactStatements = AwsRequestReader.IsSent(r.TransactStatements)
                    ? r.TransactStatements.Select(s => new ParameterizedStatement
                    {
                        Statement = s?.Statement,
                        Parameters = reader.Values(s?.Parameters),
                        ReturnValuesOnConditionCheckFailure = s?.ReturnValuesOnConditionCheckFailure?.Value,
                    }).ToList()
                    : null,
                ClientRequestToken = r.ClientRequestToken,
                ReturnConsumedCapacity = r.ReturnConsumedCapacity?.Value,
            });
        },
        static (db, r, ct) => db.ExecuteTransactionAsync(r, ct),
        static r => new Sdk.ExecuteTransactionResponse
        {
            Responses = r.Responses?.Select(item => new Sdk.ItemResponse { Item = AwsValues.Item(item.Item) }).ToList(),
            ConsumedCapacity = AwsValues.Capacities(r.ConsumedCapacity),
        });
}
