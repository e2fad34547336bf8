using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

public static class DeleteItemValidator
{
    public static RequestExpressions Validate(DeleteItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.NotNull(request.Key, "key");
        LegacyRules.CheckConditionalOperator(violations, request.ConditionalOperator);
        LegacyRules.CheckExpected(violations, request.Expected);
        ReturnValuesRules.Check(violations, request.ReturnValues, request.ReturnValuesOnConditionCheckFailure, request.ReturnItemCollectionMetrics);
        violations.ThrowIfAny();
        ReturnValuesRules.RequireNoneOrAllOld(request.ReturnValues);
        return RequestExpressions.For(request);
    }

    public static void ValidateFor(DeleteItemRequest request, TableSchema schema) => KeyRules.CheckKey(request.Key!, schema);
}
