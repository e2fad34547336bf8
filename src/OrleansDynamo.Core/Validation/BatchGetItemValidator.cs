using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

/// <summary>BatchGetItem, checked in DynamoDB's order (as dynalite records it): constraint violations, then per
/// table the expression parameters, duplicate keys and the 100-key limit, then against each table's schema.</summary>
public static class BatchGetItemValidator
{
    public const int MaxKeys = 100;

    /// <summary>What needs no table. Returns each table's bound projection.</summary>
    public static IReadOnlyDictionary<string, RequestExpressions> Validate(BatchGetItemRequest request)
    {
        var violations = new Violations();
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        BatchRules.CheckRequestItems(violations, request.RequestItems);
        foreach (var (table, read) in request.RequestItems ?? new Dictionary<string, KeysAndAttributes>())
        {
            var member = $"requestItems.{table}.member";
            violations.NotNull(read.Keys, member + ".keys");
            if (read.Keys is { Count: 0 }) violations.Add("[]", member + ".keys", "Member must have length greater than or equal to 1");
            if (read.Keys is { Count: > MaxKeys }) violations.Add($"[{read.Keys.Count} keys]", member + ".keys", $"Member must have length less than or equal to {MaxKeys}");
            if (read.AttributesToGet is { Count: 0 }) violations.Add("[]", member + ".attributesToGet", "Member must have length greater than or equal to 1");
            if (read.AttributesToGet is { Count: > 255 }) violations.Add($"[{read.AttributesToGet.Count} names]", member + ".attributesToGet", "Member must have length less than or equal to 255");
        }
        violations.ThrowIfAny();

        var expressions = new Dictionary<string, RequestExpressions>(StringComparer.Ordinal);
        var total = 0;
        foreach (var (table, read) in request.RequestItems!)
        {
            if (read.AttributesToGet is not null && read.ProjectionExpression is not null)
                throw DynamoErrors.AttributesToGetWithProjection();
            var seen = new HashSet<Item>(BatchRules.KeyEquality.Instance);
            foreach (var key in read.Keys!)
            {
                if (!seen.Add(key)) throw DynamoErrors.DuplicateKeys();
                if (++total > MaxKeys) throw DynamoErrors.TooManyBatchGetKeys();
            }
            if (read.AttributesToGet?.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
                throw DynamoErrors.DuplicateProjectedAttribute(duplicate.Key);
            expressions[table] = RequestExpressions.Bind(null, null, read.ProjectionExpression, null, null, read.ExpressionAttributeNames, null);
        }
        return expressions;
    }

    /// <summary>What needs the table: every key matches its schema.</summary>
    public static void ValidateFor(KeysAndAttributes read, TableSchema schema)
    {
        foreach (var key in read.Keys!) KeyRules.CheckKey(key, schema);
    }
}
