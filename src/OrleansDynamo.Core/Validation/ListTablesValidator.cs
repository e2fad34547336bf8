using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

public static class ListTablesValidator
{
    public const int MaxLimit = 100;

    public static void Validate(ListTablesRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.ExclusiveStartTableName, "exclusiveStartTableName", required: false);
        violations.Range(request.Limit, "limit", 1, MaxLimit);
        violations.ThrowIfAny();
    }
}
