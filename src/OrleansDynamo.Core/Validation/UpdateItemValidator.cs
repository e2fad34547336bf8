using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

public static class UpdateItemValidator
{
    public static RequestExpressions Validate(UpdateItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.NotNull(request.Key, "key");
        LegacyRules.CheckConditionalOperator(violations, request.ConditionalOperator);
        LegacyRules.CheckExpected(violations, request.Expected);
        LegacyRules.CheckAttributeUpdates(violations, request.AttributeUpdates);
        ReturnValuesRules.Check(violations, request.ReturnValues, request.ReturnValuesOnConditionCheckFailure, request.ReturnItemCollectionMetrics);
        violations.ThrowIfAny();
        return RequestExpressions.For(request);
    }

    public static void ValidateFor(UpdateItemRequest request, TableSchema schema) => KeyRules.CheckKey(request.Key!, schema);
}
