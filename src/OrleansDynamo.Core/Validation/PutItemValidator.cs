using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

public static class PutItemValidator
{
    /// <summary>What needs no table: shape, enums, item values, expressions.</summary>
    public static RequestExpressions Validate(PutItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.NotNull(request.Item, "item");
        LegacyRules.CheckConditionalOperator(violations, request.ConditionalOperator);
        LegacyRules.CheckExpected(violations, request.Expected);
        ReturnValuesRules.Check(violations, request.ReturnValues, request.ReturnValuesOnConditionCheckFailure, request.ReturnItemCollectionMetrics);
        violations.ThrowIfAny();
        ReturnValuesRules.RequireNoneOrAllOld(request.ReturnValues);
        ItemRules.CheckValues(request.Item!);
        var expressions = RequestExpressions.For(request);
        ItemRules.CheckSize(request.Item!);
        return expressions;
    }

    /// <summary>What needs the table: the item's key attributes.</summary>
    public static void ValidateFor(PutItemRequest request, TableSchema schema) => KeyRules.CheckItem(request.Item!, schema);
}
