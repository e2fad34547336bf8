using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

public static class UpdateItemValidator
{
    public static RequestExpressions Validate(UpdateItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.NotNull(request.Key, "key");
        ReturnValuesRules.Check(violations, request.ReturnValues, request.ReturnValuesOnConditionCheckFailure);
        violations.ThrowIfAny();
        return RequestExpressions.Bind(request.ConditionExpression, request.UpdateExpression, null, null, null,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues);
    }

    public static void ValidateFor(UpdateItemRequest request, TableSchema schema) => KeyRules.CheckKey(request.Key!, schema);
}
