using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

public static class GetItemValidator
{
    public static RequestExpressions Validate(GetItemRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.NotNull(request.Key, "key");
        LegacyRules.CheckAttributesToGet(violations, request.AttributesToGet);
        violations.ThrowIfAny();
        return RequestExpressions.For(request);
    }

    public static void ValidateFor(GetItemRequest request, TableSchema schema) => KeyRules.CheckKey(request.Key!, schema);
}
