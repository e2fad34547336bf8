using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

public static class GetItemValidator
{
    public static RequestExpressions Validate(GetItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.NotNull(request.Key, "key");
        violations.ThrowIfAny();
        return RequestExpressions.Bind(null, null, request.ProjectionExpression, null, null, request.ExpressionAttributeNames, null);
    }

    public static void ValidateFor(GetItemRequest request, TableSchema schema) => KeyRules.CheckKey(request.Key!, schema);
}
