using OrleansDynamo.Expressions;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>The constraint checks (enums, not-null, lengths) on the legacy parameters, which DynamoDB reports
/// together with the request's other constraint violations.</summary>
public static class LegacyRules
{
    public const int MaxAttributesToGet = 255;

    public static void CheckConditionalOperator(Violations violations, string? conditionalOperator) =>
        violations.Enum(conditionalOperator, "conditionalOperator", "OR", "AND");

    public static void CheckAttributesToGet(Violations violations, IReadOnlyList<string>? attributesToGet)
    {
        if (attributesToGet is null) return;
        var shown = $"[{string.Join(", ", attributesToGet)}]";
        if (attributesToGet.Count < 1)
            violations.Add(shown, "attributesToGet", "Member must have length greater than or equal to 1");
        if (attributesToGet.Count > MaxAttributesToGet)
            violations.Add(shown, "attributesToGet", $"Member must have length less than or equal to {MaxAttributesToGet}");
    }

    public static void CheckExpected(Violations violations, IReadOnlyDictionary<string, ExpectedAttributeValue>? expected)
    {
        if (expected is null) return;
        foreach (var (name, entry) in expected)
            violations.Enum(entry.ComparisonOperator, $"expected.{name}.member.comparisonOperator", LegacyParameters.ComparisonOperators);
    }

    /// <summary>KeyConditions, QueryFilter, ScanFilter: every entry needs a ComparisonOperator.</summary>
    public static void CheckConditions(Violations violations, IReadOnlyDictionary<string, Condition>? conditions, string member)
    {
        if (conditions is null) return;
        foreach (var (name, condition) in conditions)
        {
            violations.NotNull(condition.ComparisonOperator, $"{member}.{name}.member.comparisonOperator");
            violations.Enum(condition.ComparisonOperator, $"{member}.{name}.member.comparisonOperator", LegacyParameters.ComparisonOperators);
        }
    }

    public static void CheckAttributeUpdates(Violations violations, IReadOnlyDictionary<string, AttributeValueUpdate>? updates)
    {
        if (updates is null) return;
        foreach (var (name, update) in updates)
            violations.Enum(update.Action, $"attributeUpdates.{name}.member.action", "ADD", "PUT", "DELETE");
    }
}
