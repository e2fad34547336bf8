using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

public static class QueryValidator
{
    public static RequestExpressions Validate(QueryRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.IndexName(request.IndexName, "indexName", required: false);
        violations.Range(request.Limit, "limit", 1, int.MaxValue);
        LegacyRules.CheckAttributesToGet(violations, request.AttributesToGet);
        LegacyRules.CheckConditions(violations, request.QueryFilter, "queryFilter");
        SelectRules.CheckEnum(violations, request.Select);
        LegacyRules.CheckConditionalOperator(violations, request.ConditionalOperator);
        LegacyRules.CheckConditions(violations, request.KeyConditions, "keyConditions");
        violations.ThrowIfAny();
        // RequestExpressions.For checks mixed parameters, then "Either the KeyConditions or KeyConditionExpression...".
        var expressions = RequestExpressions.For(request);
        SelectRules.Check(request.Select, request.ProjectionExpression, request.IndexName, isQuery: true, attributesToGet: request.AttributesToGet);
        return expressions;
    }

    /// <summary>Resolves the key condition against the table and checks the starting key.</summary>
    public static KeyCondition ValidateFor(QueryRequest request, RequestExpressions expressions, TableSchema schema)
    {
        if (request.IndexName is not null)
            throw DynamoErrors.IndexNotFound(request.IndexName);
        return ValidateKeys(request, expressions, schema);
    }

    /// <summary>
    /// Like <see cref="ValidateFor(QueryRequest, RequestExpressions, TableSchema)"/>, for a table that may have
    /// secondary indexes: a Query with IndexName resolves its key condition against the index's key schema.
    /// </summary>
    public static KeyCondition ValidateFor(QueryRequest request, RequestExpressions expressions, TableInfo table)
    {
        if (request.IndexName is null) return ValidateKeys(request, expressions, table.Schema);
        var index = IndexRules.Resolve(table, request.IndexName, request.ConsistentRead);
        IndexRules.CheckSelect(index, request.Select);
        var condition = expressions.ResolveKeyCondition(index);
        CheckFilterOnKeys(request, expressions, index.KeyAttributes);
        if (request.ExclusiveStartKey is { } start)
        {
            IndexRules.CheckStartKey(start, index, table.Schema);
            if (!IndexRules.HashValueOf(index, start).Equals(condition.HashValue) || !condition.MatchesSortKey(index.RangeAttributes, start))
                throw DynamoErrors.StartKeyOutsideQuery();
        }
        return condition;
    }

    private static KeyCondition ValidateKeys(QueryRequest request, RequestExpressions expressions, TableSchema schema)
    {
        var condition = expressions.ResolveKeyCondition(schema.HashKey.Name, schema.HashKey.Type, schema.RangeKey?.Name, schema.RangeKey?.Type);
        CheckFilterOnKeys(request, expressions, schema.KeyAttributes);
        if (request.ExclusiveStartKey is { } start)
        {
            KeyRules.CheckKey(start, schema, DynamoErrors.StartKeyMismatch);
            if (!start[schema.HashKey.Name].Equals(condition.HashValue) || !condition.MatchesSortKey(schema.RangeKey is { } range ? [range] : [], start))
                throw DynamoErrors.StartKeyOutsideQuery();
        }
        return condition;
    }

    /// <summary>A Query's filter reads no key attribute of what it queries: those belong in the key condition.</summary>
    private static void CheckFilterOnKeys(QueryRequest request, RequestExpressions expressions, IEnumerable<KeyAttribute> keys)
    {
        var (names, parameter) = request.QueryFilter is { } legacy
            ? (legacy.Keys.ToHashSet(StringComparer.Ordinal), "QueryFilter")
            : (expressions.FilterAttributes, "Filter Expression");
        foreach (var key in keys)
            if (names.Contains(key.Name)) throw DynamoErrors.FilterOnKeyAttribute(parameter, key.Name);
    }
}
