using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.PartiQL;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>
/// PartiQL: each statement is parsed, planned against its table (<see cref="PartiQLStatements"/>) and run as the
/// request it stands for, through this client's own operations, so validation, routing and errors are theirs.
/// </summary>
public sealed partial class DynamoDbClient
{
    public async Task<ExecuteStatementResponse> ExecuteStatementAsync(ExecuteStatementRequest request, CancellationToken cancellationToken = default)
    {
        ExecuteStatementValidator.Validate(request);
        var statement = PartiQLStatements.Parse(request.Statement!);
        var table = await _router.GetTableAsync(statement.TableName);
        var start = request.NextToken is { } token ? PartiQLStatements.StartKeyOf(token) : null;
        var plan = PartiQLStatements.Plan(statement, request.Parameters, table, request, start);
        if (plan.Get is { } get)
        {
            var read = await GetItemAsync(get with { ReturnConsumedCapacity = request.ReturnConsumedCapacity }, cancellationToken);
            return Page(read.Item is null ? [] : [read.Item], null, read.ConsumedCapacity);
        }
        if (plan.Query is { } query)
        {
            var page = await QueryAsync(query, cancellationToken);
            return Page(page.Items, page.LastEvaluatedKey, page.ConsumedCapacity);
        }
        if (plan.Scan is { } scan)
        {
            var page = await ScanAsync(scan, cancellationToken);
            return Page(page.Items, page.LastEvaluatedKey, page.ConsumedCapacity);
        }
        var (item, capacity) = await WriteAsync(plan, cancellationToken);
        return new ExecuteStatementResponse { Items = item is null ? [] : [item], ConsumedCapacity = capacity };
    }

    public async Task<BatchExecuteStatementResponse> BatchExecuteStatementAsync(BatchExecuteStatementRequest request, CancellationToken cancellationToken = default)
    {
        ExecuteStatementValidator.Validate(request);
        var statements = request.Statements!.Select(s => PartiQLStatements.Parse(s.Statement!)).ToList();
        if (statements.Any(s => s.IsRead) && statements.Any(s => !s.IsRead)) throw DynamoErrors.PartiQLMixedBatch();
        // Each statement succeeds or fails on its own, as BatchGetItem's and BatchWriteItem's parts would.
        var responses = await Task.WhenAll(statements.Select((statement, i) => RunBatchStatementAsync(statement, request.Statements![i], cancellationToken)));
        return new BatchExecuteStatementResponse { Responses = responses };
    }

    private async Task<BatchStatementResponse> RunBatchStatementAsync(ParsedStatement statement, BatchStatementRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var table = await _router.GetTableAsync(statement.TableName);
            var plan = PartiQLStatements.PlanSingle(statement, request.Parameters, table, request.ConsistentRead, request.ReturnValuesOnConditionCheckFailure, inTransaction: false);
            if (plan.Get is { } get) return new BatchStatementResponse { TableName = statement.TableName, Item = (await GetItemAsync(get, cancellationToken)).Item };
            await WriteAsync(plan, cancellationToken);
            return new BatchStatementResponse { TableName = statement.TableName };
        }
        catch (DynamoException e) when (!e.IsServerError)
        {
            return new BatchStatementResponse
            {
                TableName = statement.TableName,
                Error = new BatchStatementError { Code = CodeOf(e), Message = e.Message, Item = e.Item },
            };
        }
    }

    public async Task<ExecuteTransactionResponse> ExecuteTransactionAsync(ExecuteTransactionRequest request, CancellationToken cancellationToken = default)
    {
        ExecuteStatementValidator.Validate(request);
        var statements = request.TransactStatements!.Select(s => PartiQLStatements.Parse(s.Statement!)).ToList();
        var reads = statements.Count(s => s.IsRead);
        if (reads > 0 && reads < statements.Count) throw DynamoErrors.PartiQLMixedTransaction();
        var plans = new List<StatementPlan>(statements.Count);
        for (var i = 0; i < statements.Count; i++)
        {
            var table = await _router.GetTableAsync(statements[i].TableName);
            plans.Add(PartiQLStatements.PlanSingle(statements[i], request.TransactStatements![i].Parameters, table, consistentRead: null,
                request.TransactStatements[i].ReturnValuesOnConditionCheckFailure, inTransaction: true));
        }
        if (reads > 0)
        {
            var read = await TransactGetItemsAsync(new TransactGetItemsRequest
            {
                TransactItems = plans.Select(p => new TransactGetItem { Get = p.Get }).ToList(),
                ReturnConsumedCapacity = request.ReturnConsumedCapacity,
            }, cancellationToken);
            return new ExecuteTransactionResponse { Responses = read.Responses, ConsumedCapacity = read.ConsumedCapacity };
        }
        var written = await TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = plans.Select(p => p.ToTransactWrite()).ToList(),
            ClientRequestToken = request.ClientRequestToken,
            ReturnConsumedCapacity = request.ReturnConsumedCapacity,
        }, cancellationToken);
        return new ExecuteTransactionResponse { ConsumedCapacity = written.ConsumedCapacity };
    }

    /// <summary>Runs a write statement; its item is what RETURNING asked for.</summary>
    private async Task<(Item? Item, ConsumedCapacity? Capacity)> WriteAsync(StatementPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Put is { } put)
        {
            try
            {
                var response = await PutItemAsync(put, cancellationToken);
                return (null, response.ConsumedCapacity);
            }
            catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ConditionalCheckFailed)
            {
                throw DynamoErrors.DuplicateItem();
            }
        }
        if (plan.Update is { } update)
        {
            var response = await UpdateItemAsync(update, cancellationToken);
            return (response.Attributes, response.ConsumedCapacity);
        }
        var deleted = await DeleteItemAsync(plan.Delete!, cancellationToken);
        return (deleted.Attributes, deleted.ConsumedCapacity);
    }

    private static ExecuteStatementResponse Page(IReadOnlyList<Item>? items, Item? lastEvaluatedKey, ConsumedCapacity? capacity) => new()
    {
        Items = items ?? [],
        NextToken = lastEvaluatedKey is null ? null : PartiQLStatements.NextToken(lastEvaluatedKey),
        LastEvaluatedKey = lastEvaluatedKey,
        ConsumedCapacity = capacity,
    };

    /// <summary>A batch statement's error code: the exception's type without "Exception" (ConditionalCheckFailed, DuplicateItem, ...).</summary>
    private static string CodeOf(DynamoException error) => error.ErrorType switch
    {
        DynamoErrorTypes.Validation => "ValidationError",
        var type when type.EndsWith("Exception", StringComparison.Ordinal) => type[..^"Exception".Length],
        var type => type,
    };
}
