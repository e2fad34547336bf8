using OrleansDynamo.Model;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

/// <summary>The legacy condition parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter).</summary>
internal static class AwsLegacy
{
    public static IReadOnlyDictionary<string, ExpectedAttributeValue>? Expected(AwsRequestReader reader, Dictionary<string, Sdk.ExpectedAttributeValue>? expected)
    {
        if (!AwsRequestReader.IsSent(expected)) return null;
        var result = new Dictionary<string, ExpectedAttributeValue>(StringComparer.Ordinal);
        foreach (var (name, e) in expected!)
        {
            // Marshaller order: AttributeValueList, ComparisonOperator, Exists, Value.
            result[name] = e is null ? new ExpectedAttributeValue() : new ExpectedAttributeValue
            {
                AttributeValueList = reader.Values(e.AttributeValueList),
                ComparisonOperator = e.ComparisonOperator?.Value,
                Exists = e.Exists,
                Value = reader.OptionalValue(e.Value),
            };
        }
        return result;
    }

    public static IReadOnlyDictionary<string, Condition>? Conditions(AwsRequestReader reader, Dictionary<string, Sdk.Condition>? conditions)
    {
        if (!AwsRequestReader.IsSent(conditions)) return null;
        var result = new Dictionary<string, Condition>(StringComparer.Ordinal);
        foreach (var (name, c) in conditions!)
            result[name] = c is null ? new Condition() : new Condition { AttributeValueList = reader.Values(c.AttributeValueList), ComparisonOperator = c.ComparisonOperator?.Value };
        return result;
    }

    public static IReadOnlyDictionary<string, AttributeValueUpdate>? Updates(AwsRequestReader reader, Dictionary<string, Sdk.AttributeValueUpdate>? updates)
    {
        if (!AwsRequestReader.IsSent(updates)) return null;
        var result = new Dictionary<string, AttributeValueUpdate>(StringComparer.Ordinal);
        foreach (var (name, u) in updates!)
            result[name] = u is null ? new AttributeValueUpdate() : new AttributeValueUpdate { Action = u.Action?.Value, Value = reader.OptionalValue(u.Value) };
        return result;
    }
}
