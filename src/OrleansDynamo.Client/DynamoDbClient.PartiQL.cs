using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.PartiQL;
using OrleansDynamo.Throughput;
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
        var resume = request.NextToken is { } token ? PartiQLStatements.ResumeOf(token, request.Statement!) : default;
        var plan = PartiQLStatements.Plan(statement, request.Parameters, table, request, resuming: request.NextToken is not null);
        if (plan.Get is { } get)
        {
            var read = await GetItemAsync(get, cancellationToken);
            return Page(plan, read.Item is null ? [] : [read.Item], null, read.ConsumedCapacity);
        }
        if (plan.Queries is { } queries) return await QueriesAsync(request, plan, queries, resume, cancellationToken);
        if (plan.Scan is { } scan)
        {
            var page = await ScanAsync(scan with { ExclusiveStartKey = resume.ExclusiveStartKey, Limit = request.Limit }, cancellationToken);
            return Page(plan, page.Items, page.LastEvaluatedKey is { } last ? NextToken(request, new StatementResume(0, last)) : null, page.ConsumedCapacity,
                page.LastEvaluatedKey);
        }
        var (item, capacity) = await WriteAsync(plan, cancellationToken);
        return new ExecuteStatementResponse { Items = item is null ? [] : [item], ConsumedCapacity = capacity };
    }

    /// <summary>
    /// A SELECT over one or more partition-key values: their Queries in order, Limit counting the items they
    /// evaluate. A page ends where a Query stops early (Limit or 1 MB) or the Limit runs out between two.
    /// </summary>
    private async Task<ExecuteStatementResponse> QueriesAsync(ExecuteStatementRequest request, StatementPlan plan, IReadOnlyList<QueryRequest> queries,
        StatementResume resume, CancellationToken cancellationToken)
    {
        var items = new List<Item>();
        var units = 0.0;
        var left = request.Limit;
        for (var i = resume.Query; i < queries.Count; i++)
        {
            var page = await QueryAsync(queries[i] with { ExclusiveStartKey = i == resume.Query ? resume.ExclusiveStartKey : null, Limit = left },
                cancellationToken);
            items.AddRange(page.Items ?? []);
            units += page.ConsumedCapacity?.CapacityUnits ?? 0;
            left -= page.ScannedCount;
            string? next = null;
            if (page.LastEvaluatedKey is { } last) next = NextToken(request, new StatementResume(i, last));
            else if (left <= 0 && i + 1 < queries.Count) next = NextToken(request, new StatementResume(i + 1, null));
            if (next is not null || i + 1 == queries.Count)
                return Page(plan, items, next, CapacityUnits.Report(request.ReturnConsumedCapacity, queries[i].TableName!, units, isWrite: false),
                    page.LastEvaluatedKey);
        }
        return Page(plan, items, null, null);
    }

    private static string NextToken(ExecuteStatementRequest request, StatementResume resume) => PartiQLStatements.NextToken(request.Statement!, resume);

    public async Task<BatchExecuteStatementResponse> BatchExecuteStatementAsync(BatchExecuteStatementRequest request, CancellationToken cancellationToken = default)
    {
        ExecuteStatementValidator.Validate(request);
        var statements = request.Statements!.Select(s => PartiQLStatements.Parse(s.Statement!)).ToList();
        if (statements.Any(s => s.IsRead) && statements.Any(s => !s.IsRead)) throw DynamoErrors.PartiQLMixedBatch();
        // Each statement succeeds or fails on its own, as BatchGetItem's and BatchWriteItem's parts would.
        var results = await Task.WhenAll(statements.Select((statement, i) => RunBatchStatementAsync(statement, request.Statements![i], cancellationToken)));
        return new BatchExecuteStatementResponse
        {
            Responses = results.Select(r => r.Response).ToList(),
            // Capacity per table, as BatchGetItem and BatchWriteItem report it.
            ConsumedCapacity = CapacityUnits.Wanted(request.ReturnConsumedCapacity)
                ? results.Where(r => r.Units > 0).GroupBy(r => r.Table)
                    .Select(g => CapacityUnits.Report(request.ReturnConsumedCapacity, g.Key, g.Sum(r => r.Units), isWrite: !statements[0].IsRead)!).ToList()
                : null,
        };
    }

    private async Task<(BatchStatementResponse Response, string Table, double Units)> RunBatchStatementAsync(ParsedStatement statement, BatchStatementRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            var table = await _router.GetTableAsync(statement.TableName);
            var plan = PartiQLStatements.PlanSingle(statement, request.Parameters, table, request.ConsistentRead, request.ReturnValuesOnConditionCheckFailure,
                StatementContext.Batch, CapacityUnits.Total);
            if (plan.Get is { } get)
            {
                var read = await GetItemAsync(get, cancellationToken);
                return (new BatchStatementResponse { TableName = statement.TableName, Item = read.Item is { } item ? plan.Shaped(item) : null },
                    table.TableName, read.ConsumedCapacity?.CapacityUnits ?? 0);
            }
            var (_, capacity) = await WriteAsync(plan, cancellationToken);
            return (new BatchStatementResponse { TableName = statement.TableName }, table.TableName, capacity?.CapacityUnits ?? 0);
        }
        catch (DynamoException e) when (!e.IsServerError)
        {
            return (new BatchStatementResponse
            {
                // A statement DynamoDB could not plan names no table.
                TableName = e.ErrorType == DynamoErrorTypes.Validation ? null : statement.TableName,
                Error = new BatchStatementError { Code = CodeOf(e), Message = e.Message, Item = e.Item },
            }, statement.TableName, 0);
        }
    }

    public async Task<ExecuteTransactionResponse> ExecuteTransactionAsync(ExecuteTransactionRequest request, CancellationToken cancellationToken = default)
    {
        ExecuteStatementValidator.Validate(request);
        var statements = request.TransactStatements!.Select((s, i) => InTransaction(i, () => PartiQLStatements.Parse(s.Statement!))).ToList();
        var reads = statements.Count(s => s.IsRead);
        if (reads > 0 && reads < statements.Count) throw DynamoErrors.PartiQLMixedTransaction();
        var plans = new List<StatementPlan>(statements.Count);
        for (var i = 0; i < statements.Count; i++)
        {
            var table = await _router.GetTableAsync(statements[i].TableName);
            var member = request.TransactStatements![i];
            plans.Add(InTransaction(i, () => PartiQLStatements.PlanSingle(statements[i], member.Parameters, table, consistentRead: null,
                member.ReturnValuesOnConditionCheckFailure, StatementContext.Transaction)));
        }
        if (reads > 0)
        {
            var read = await TransactGetItemsAsync(new TransactGetItemsRequest
            {
                TransactItems = plans.Select(p => new TransactGetItem { Get = p.Get }).ToList(),
                ReturnConsumedCapacity = request.ReturnConsumedCapacity,
            }, cancellationToken);
            var responses = read.Responses?.Select((r, i) => r.Item is { } item ? r with { Item = plans[i].Shaped(item) } : r).ToList();
            return new ExecuteTransactionResponse { Responses = responses, ConsumedCapacity = read.ConsumedCapacity };
        }
        var written = await TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = plans.Select(p => p.ToTransactWrite()).ToList(),
            ClientRequestToken = request.ClientRequestToken,
            ReturnConsumedCapacity = request.ReturnConsumedCapacity,
        }, cancellationToken);
        return new ExecuteTransactionResponse { ConsumedCapacity = written.ConsumedCapacity };
    }

    /// <summary>Parses or plans statement <paramref name="index"/> of a transaction; its validation errors name it.</summary>
    private static T InTransaction<T>(int index, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.Validation)
        {
            throw DynamoErrors.PartiQLTransactionStatement(index, e);
        }
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

    private static ExecuteStatementResponse Page(StatementPlan plan, IReadOnlyList<Item>? items, string? nextToken, ConsumedCapacity? capacity,
        Item? lastEvaluatedKey = null) => new()
    {
        Items = plan.Result(items ?? []),
        NextToken = nextToken,
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
