using OrleansDynamo.Errors;

namespace OrleansDynamo.Validation;

/// <summary>The ReturnValues and ReturnValuesOnConditionCheckFailure parameters of item writes.</summary>
public static class ReturnValuesRules
{
    public const string None = "NONE";
    public const string AllOld = "ALL_OLD";
    public const string AllNew = "ALL_NEW";
    public const string UpdatedOld = "UPDATED_OLD";
    public const string UpdatedNew = "UPDATED_NEW";

    /// <summary>Adds enum violations for the return parameters of a single-item write (DynamoDB lists them with other constraint violations).</summary>
    public static void Check(Violations violations, string? returnValues, string? onConditionCheckFailure, string? itemCollectionMetrics = null)
    {
        violations.Enum(returnValues, "returnValues", AllNew, UpdatedOld, AllOld, None, UpdatedNew);
        violations.Enum(itemCollectionMetrics, "returnItemCollectionMetrics", "SIZE", None);
        violations.Enum(onConditionCheckFailure, "returnValuesOnConditionCheckFailure", AllOld, None);
    }

    /// <summary>PutItem and DeleteItem can only return the old item.</summary>
    public static void RequireNoneOrAllOld(string? returnValues)
    {
        if (returnValues is not null and not None and not AllOld)
            throw DynamoErrors.ReturnValuesAllOldOrNone();
    }

    public static bool ReturnsOldItemOnConditionFailure(string? onConditionCheckFailure) => onConditionCheckFailure == AllOld;
}
