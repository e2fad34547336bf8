using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

public static class DeleteItemValidator
{
    public static RequestExpressions Validate(DeleteItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.NotNull(request.Key, "key");
        ReturnValuesRules.Check(violations, request.ReturnValues, request.ReturnValuesOnConditionCheckFailure);
        violations.ThrowIfAny();
        ReturnValuesRules.RequireNoneOrAllOld(request.ReturnValues);
        return RequestExpressions.Bind(request.ConditionExpression, null, null, null, null,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues);
    }

    public static void ValidateFor(DeleteItemRequest request, TableSchema schema) => KeyRules.CheckKey(request.Key!, schema);
}
