using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Hashing;
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

    /// <summary>The index a SELECT reads, or null.</summary>
    public string? IndexName => (Statement as PqlSelect)?.Index;

    /// <summary>What the statement does, as IAM's PartiQL actions name it: Select, Insert, Update or Delete.</summary>
    public string Verb => Statement switch
    {
        PqlInsert => "Insert",
        PqlUpdate => "Update",
        PqlDelete => "Delete",
        _ => "Select",
    };
    public int ParameterCount { get; }
}

/// <summary>What a statement stands for on the request path: exactly one of its requests is set.</summary>
public sealed record StatementPlan
{
    /// <summary>A SELECT that fixes the partition key: one Query per value, read in order.</summary>
    public IReadOnlyList<QueryRequest>? Queries { get; init; }
    public ScanRequest? Scan { get; init; }
    public GetItemRequest? Get { get; init; }
    public PutItemRequest? Put { get; init; }
    public UpdateItemRequest? Update { get; init; }
    public DeleteItemRequest? Delete { get; init; }
    public ConditionCheck? Check { get; init; }

    /// <summary>Turns a read item into the statement's result (nested projections); null leaves it as read.</summary>
    public Func<Item, Item>? Shape { get; init; }

    public Item Shaped(Item item) => Shape is null ? item : Shape(item);

    /// <summary>Which items read are in the result; null keeps all.</summary>
    public Func<Item, bool>? Keep { get; init; }

    /// <summary>The items of a page as the statement returns them: kept, then shaped.</summary>
    public List<Item> Result(IEnumerable<Item> items) => items.Where(i => Keep?.Invoke(i) ?? true).Select(Shaped).ToList();

    public TransactWriteItem ToTransactWrite() => new() { Put = Put, Update = Update, Delete = Delete, ConditionCheck = Check };
}

/// <summary>Where a SELECT's paging resumes: which of its Queries (0 for a Scan), and the key it stopped after.</summary>
public readonly record struct StatementResume(int Query, Item? ExclusiveStartKey);

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
        bool resuming)
    {
        var translator = new PartiQLTranslator(Bindings(statement, parameters), table);
        switch (statement.Statement)
        {
            case PqlSelect select when translator.IsKeyRead(select) && !resuming:
                // One item by its whole key: a GetItem, the cheapest read of it.
                return PlanSingle(statement, parameters, table, request.ConsistentRead, null, StatementContext.Statement, request.ReturnConsumedCapacity);
            case PqlSelect select:
                translator.Select(select, request.ConsistentRead, request.ReturnConsumedCapacity);
                return new StatementPlan { Queries = translator.Queries, Scan = translator.Scan, Shape = translator.Shape, Keep = translator.Keep };
            case PqlExists:
                throw DynamoErrors.PartiQLExistsOutsideTransaction();
            default:
                return WritePlan(translator, statement.Statement, request.ReturnConsumedCapacity, request.ReturnValuesOnConditionCheckFailure);
        }
    }

    /// <summary>The plan of one statement of BatchExecuteStatement or ExecuteTransaction: a read of one item by key, or a write.</summary>
    /// <param name="returnConsumedCapacity">What the planned request reports of its capacity (a batch adds it up per table).</param>
    public static StatementPlan PlanSingle(ParsedStatement statement, IReadOnlyList<AttributeValue>? parameters, TableInfo table, bool? consistentRead,
        string? returnValuesOnConditionCheckFailure, StatementContext context, string? returnConsumedCapacity = null)
    {
        var translator = new PartiQLTranslator(Bindings(statement, parameters), table);
        switch (statement.Statement)
        {
            case PqlSelect { Index: not null } when context == StatementContext.Transaction:
                throw DynamoErrors.PartiQLTransactionIndexRead();
            case PqlSelect select when context == StatementContext.Batch && !translator.IsKeyRead(select):
                throw DynamoErrors.PartiQLBatchReadNeedsKey();
            case PqlSelect select:
                var (key, projection) = translator.KeyRead(select);
                return new StatementPlan
                {
                    Get = new GetItemRequest
                    {
                        TableName = select.Table, Key = key, ProjectionExpression = projection, ConsistentRead = consistentRead,
                        ExpressionAttributeNames = translator.ExpressionAttributeNames, ReturnConsumedCapacity = returnConsumedCapacity,
                    },
                    Shape = translator.Shape,
                };
            case PqlUpdate { Returning: not null } or PqlDelete { Returning: not null } when context == StatementContext.Transaction:
                throw DynamoErrors.PartiQLTransactionReturning();
            case PqlExists exists when context == StatementContext.Transaction:
                // A condition check: the item exists, and the rest of the WHERE holds.
                var (checkKey, rest) = translator.KeyOf(exists.Select.Where);
                var condition = translator.ConditionOf([new PqlIs(new PqlPath([table.Schema.HashKey.Name]), PqlIs.Missing, Negated: true), .. rest]);
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
                return WritePlan(translator, statement.Statement, returnConsumedCapacity, returnValuesOnConditionCheckFailure);
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

    /// <summary>
    /// NextToken: where a SELECT's page ended, opaque to the client. It carries a hash of the statement, so it
    /// resumes only the statement that returned it.
    /// </summary>
    public static string NextToken(string statement, StatementResume resume)
    {
        var key = resume.ExclusiveStartKey is { } lastKey ? Storage.ItemCodec.Encode(lastKey) : [];
        var bytes = new byte[TokenHeader + key.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, StatementHash(statement));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)resume.Query);
        key.CopyTo(bytes.AsSpan(TokenHeader));
        return Convert.ToBase64String(bytes);
    }

    public static StatementResume ResumeOf(string nextToken, string statement)
    {
        var bytes = new byte[nextToken.Length];
        if (!Convert.TryFromBase64String(nextToken, bytes, out var length) || length < TokenHeader) throw DynamoErrors.PartiQLInvalidNextToken();
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes) != StatementHash(statement)) throw DynamoErrors.PartiQLNextTokenMismatch();
        int query = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4));
        if (length == TokenHeader) return new StatementResume(query, null);
        try
        {
            return new StatementResume(query, Storage.ItemCodec.Decode(bytes.AsSpan(TokenHeader, length - TokenHeader)));
        }
        catch (Exception e) when (e is not DynamoException)
        {
            throw DynamoErrors.PartiQLInvalidNextToken();
        }
    }

    private const int TokenHeader = 6;

    private static uint StatementHash(string statement) => XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(statement));
}

/// <summary>Which operation a statement runs in: each reads and writes under its own rules.</summary>
public enum StatementContext { Statement, Batch, Transaction }
