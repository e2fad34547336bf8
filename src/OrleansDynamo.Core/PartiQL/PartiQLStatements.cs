using System.Collections.Concurrent;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.PartiQL;

/// <summary>A parsed PartiQL statement: its table, whether it reads, and how many parameters it takes.</summary>
public sealed class ParsedStatement
{
    internal ParsedStatement(PqlStatement statement, int parameters)
    {
        Statement = statement;
        ParameterCount = parameters;
    }

    internal PqlStatement Statement { get; }
    public string TableName => Statement.Table;
    public bool IsRead => Statement.IsRead;
    public bool IsExists => Statement is PqlExists;
    public int ParameterCount { get; }
}

/// <summary>What a statement stands for on the request path: exactly one of its requests is set.</summary>
public sealed record StatementPlan
{
    public QueryRequest? Query { get; init; }
    public ScanRequest? Scan { get; init; }
    public GetItemRequest? Get { get; init; }
    public PutItemRequest? Put { get; init; }
    public UpdateItemRequest? Update { get; init; }
    public DeleteItemRequest? Delete { get; init; }
    public ConditionCheck? Check { get; init; }

    public TransactWriteItem ToTransactWrite() => new() { Put = Put, Update = Update, Delete = Delete, ConditionCheck = Check };
}

/// <summary>
/// PartiQL for the request path: parse (cached), then plan against the table (<see cref="PartiQLTranslator"/>).
/// ExecuteStatement runs a SELECT as Query or Scan; BatchExecuteStatement and ExecuteTransaction read one item
/// by its whole key, as DynamoDB requires there.
/// </summary>
public static class PartiQLStatements
{
    public const int MaxStatementLength = 8192;
    private const int CacheCapacity = 10_000;
    private static readonly ConcurrentDictionary<string, ParsedStatement> Cache = new(StringComparer.Ordinal);

    public static ParsedStatement Parse(string statement)
    {
        if (Cache.TryGetValue(statement, out var parsed)) return parsed;
        var (tree, parameters) = PartiQLParser.Parse(statement);
        if (Cache.Count >= CacheCapacity) Cache.Clear();
        return Cache[statement] = new ParsedStatement(tree, parameters);
    }

    /// <summary>The statement's parameters, checked against its <c>?</c>s.</summary>
    public static IReadOnlyList<AttributeValue> Bindings(ParsedStatement statement, IReadOnlyList<AttributeValue>? parameters)
    {
        var given = parameters ?? [];
        return given.Count == statement.ParameterCount ? given : throw DynamoErrors.PartiQLParameterCount();
    }

    /// <summary>The plan of one statement of ExecuteStatement.</summary>
    public static StatementPlan Plan(ParsedStatement statement, IReadOnlyList<AttributeValue>? parameters, TableInfo table, ExecuteStatementRequest request,
        Item? exclusiveStartKey)
    {
        var translator = new PartiQLTranslator(Bindings(statement, parameters), table);
        switch (statement.Statement)
        {
            case PqlSelect select when translator.IsKeyRead(select) && exclusiveStartKey is null:
                // One item by its whole key: a GetItem, the cheapest read of it.
                return PlanSingle(statement, parameters, table, request.ConsistentRead, null, inTransaction: false);
            case PqlSelect select:
                translator.Select(select, request.ConsistentRead, request.Limit, exclusiveStartKey, request.ReturnConsumedCapacity);
                return new StatementPlan { Query = translator.Query, Scan = translator.Scan };
            case PqlExists:
                throw DynamoErrors.PartiQLExistsOutsideTransaction();
            default:
                return WritePlan(translator, statement.Statement, request.ReturnConsumedCapacity, request.ReturnValuesOnConditionCheckFailure);
        }
    }

    /// <summary>The plan of one statement of BatchExecuteStatement or ExecuteTransaction: a read of one item by key, or a write.</summary>
    public static StatementPlan PlanSingle(ParsedStatement statement, IReadOnlyList<AttributeValue>? parameters, TableInfo table, bool? consistentRead,
        string? returnValuesOnConditionCheckFailure, bool inTransaction)
    {
        var translator = new PartiQLTranslator(Bindings(statement, parameters), table);
        switch (statement.Statement)
        {
            case PqlSelect select:
                var (key, projection) = translator.KeyRead(select);
                return new StatementPlan
                {
                    Get = new GetItemRequest
                    {
                        TableName = select.Table, Key = key, ProjectionExpression = projection, ConsistentRead = consistentRead,
                        ExpressionAttributeNames = translator.ExpressionAttributeNames,
                    },
                };
            case PqlExists exists when inTransaction:
                // A condition check: the item exists, and the rest of the WHERE holds.
                var (checkKey, rest) = translator.KeyOf(exists.Select.Where);
                var condition = translator.ConditionOf([new PqlMissing(new PqlPath([table.Schema.HashKey.Name]), Negated: true), .. rest]);
                return new StatementPlan
                {
                    Check = new ConditionCheck
                    {
                        TableName = exists.Table, Key = checkKey, ConditionExpression = condition,
                        ExpressionAttributeNames = translator.ExpressionAttributeNames, ExpressionAttributeValues = translator.ExpressionAttributeValues,
                        ReturnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure,
                    },
                };
            case PqlExists:
                throw DynamoErrors.PartiQLExistsOutsideTransaction();
            default:
                return WritePlan(translator, statement.Statement, null, returnValuesOnConditionCheckFailure);
        }
    }

    private static StatementPlan WritePlan(PartiQLTranslator translator, PqlStatement statement, string? returnConsumedCapacity, string? returnValuesOnConditionCheckFailure) =>
        statement switch
        {
            PqlInsert insert => new StatementPlan { Put = translator.Insert(insert, returnConsumedCapacity, returnValuesOnConditionCheckFailure) },
            PqlUpdate update => new StatementPlan { Update = translator.Update(update, returnConsumedCapacity, returnValuesOnConditionCheckFailure) },
            PqlDelete delete => new StatementPlan { Delete = translator.Delete(delete, returnConsumedCapacity, returnValuesOnConditionCheckFailure) },
            _ => throw DynamoErrors.PartiQLSyntax("unsupported statement"),
        };

    /// <summary>NextToken: where a SELECT's page ended (its LastEvaluatedKey), opaque to the client.</summary>
    public static string NextToken(Item lastEvaluatedKey) => Convert.ToBase64String(Storage.ItemCodec.Encode(lastEvaluatedKey));

    public static Item StartKeyOf(string nextToken)
    {
        var bytes = new byte[nextToken.Length];
        if (!Convert.TryFromBase64String(nextToken, bytes, out var length)) throw DynamoErrors.Validation("Invalid NextToken");
        try
        {
            return Storage.ItemCodec.Decode(bytes.AsSpan(0, length));
        }
        catch (Exception e) when (e is not DynamoException)
        {
            throw DynamoErrors.Validation("Invalid NextToken");
        }
    }
}
