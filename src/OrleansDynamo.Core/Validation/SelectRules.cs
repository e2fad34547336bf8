using OrleansDynamo.Errors;

namespace OrleansDynamo.Validation;

/// <summary>The Select parameter of Query and Scan.</summary>
/// <remarks>DynamoDB words these errors alike for both operations, but wraps Query's in
/// "1 validation error detected: " and returns Scan's bare.</remarks>
public static class SelectRules
{
    public const string AllAttributes = "ALL_ATTRIBUTES";
    public const string AllProjectedAttributes = "ALL_PROJECTED_ATTRIBUTES";
    public const string SpecificAttributes = "SPECIFIC_ATTRIBUTES";
    public const string Count = "COUNT";

    public static void CheckEnum(Violations violations, string? select) =>
        violations.Enum(select, "select", SpecificAttributes, Count, AllAttributes, AllProjectedAttributes);

    public static void Check(string? select, string? projectionExpression, string? indexName, bool isQuery = false,
        IReadOnlyList<string>? attributesToGet = null)
    {
        if (select == SpecificAttributes && projectionExpression is null && attributesToGet is null)
            throw DynamoErrors.SpecificAttributesNeedProjection(isQuery);
        if (select == AllProjectedAttributes && indexName is null)
            throw DynamoErrors.AllProjectedNeedsIndex(isQuery);
        if (projectionExpression is not null && select is not null and not SpecificAttributes)
            throw DynamoErrors.SelectWithProjection(isQuery, "ProjectionExpression", select == Count ? "only the Count" : select);
        if (attributesToGet is not null && select is not null and not SpecificAttributes)
            throw DynamoErrors.SelectWithProjection(isQuery, "AttributesToGet", select == Count ? "only the Count" : select);
    }
}
