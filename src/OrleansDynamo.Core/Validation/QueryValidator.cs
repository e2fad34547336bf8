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
        violations.TableName(request.IndexName, "indexName", required: false);
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
            throw DynamoErrors.Validation($"The table does not have the specified index: {request.IndexName}");
        var condition = expressions.ResolveKeyCondition(schema.HashKey.Name, schema.HashKey.Type, schema.RangeKey?.Name, schema.RangeKey?.Type);
        if (request.ExclusiveStartKey is { } start)
        {
            KeyRules.CheckKey(start, schema, "The provided starting key is invalid: The provided key element does not match the schema");
            if (!start[schema.HashKey.Name].Equals(condition.HashValue))
                throw DynamoErrors.Validation("The provided starting key is outside query boundaries based on provided conditions");
        }
        return condition;
    }
}
