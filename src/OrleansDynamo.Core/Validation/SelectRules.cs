using OrleansDynamo.Errors;

namespace OrleansDynamo.Validation;

/// <summary>The Select parameter of Query and Scan.</summary>
public static class SelectRules
{
    public const string AllAttributes = "ALL_ATTRIBUTES";
    public const string AllProjectedAttributes = "ALL_PROJECTED_ATTRIBUTES";
    public const string SpecificAttributes = "SPECIFIC_ATTRIBUTES";
    public const string Count = "COUNT";

    public static void CheckEnum(Violations violations, string? select) =>
        violations.Enum(select, "select", SpecificAttributes, Count, AllAttributes, AllProjectedAttributes);

    public static void Check(string? select, string? projectionExpression, string? indexName)
    {
        if (select == AllProjectedAttributes && indexName is null)
            throw DynamoErrors.Validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported for this table");
        if (projectionExpression is not null && select is not null and not SpecificAttributes)
            throw DynamoErrors.Validation("One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get " + select);
    }
}
