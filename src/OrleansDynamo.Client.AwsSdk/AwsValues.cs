using Amazon.Util;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>
/// OrleansDynamo's response values as the AWS SDK's model objects, shaped as the SDK's JSON unmarshaller would
/// shape them: a member the server leaves out of its JSON (null here) stays unset.
/// </summary>
internal static class AwsValues
{
    public static Sdk.AttributeValue Value(AttributeValue value) => value.Type switch
    {
        AttributeType.S => new Sdk.AttributeValue { S = value.S },
        AttributeType.N => new Sdk.AttributeValue { N = value.N.ToString() },
        AttributeType.B => new Sdk.AttributeValue { B = new MemoryStream(value.B.ToArray()) },
        AttributeType.SS => new Sdk.AttributeValue { SS = [.. value.SS] },
        AttributeType.NS => new Sdk.AttributeValue { NS = value.NS.Select(n => n.ToString()).ToList() },
        AttributeType.BS => new Sdk.AttributeValue { BS = value.BS.Select(b => new MemoryStream(b)).ToList() },
        AttributeType.M => new Sdk.AttributeValue { M = Map(value.M) },
        AttributeType.L => new Sdk.AttributeValue { L = value.L.Select(Value).ToList() },
        AttributeType.NULL => new Sdk.AttributeValue { NULL = true },
        _ => new Sdk.AttributeValue { BOOL = value.BOOL },
    };

    public static Dictionary<string, Sdk.AttributeValue> Map(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        var result = new Dictionary<string, Sdk.AttributeValue>(attributes.Count);
        foreach (var (name, value) in attributes) result[name] = Value(value);
        return result;
    }

    public static Dictionary<string, Sdk.AttributeValue>? Item(Item? item) => item is null ? null : Map(item);

    public static List<Dictionary<string, Sdk.AttributeValue>>? Items(IReadOnlyList<Item>? items) =>
        items?.Select(item => Map(item)).ToList();

    public static DateTime? Time(double? secondsSinceEpoch) =>
        secondsSinceEpoch is { } seconds ? AWSSDKUtils.ConvertFromUnixDecimalEpochSeconds((decimal)seconds) : null;

    /// <summary>A request's timestamp as the SDK's marshaller writes it: epoch seconds to the millisecond, an unspecified kind read as local time.</summary>
    public static double? Seconds(DateTime? time) => time is { } t ? AWSSDKUtils.ConvertToUnixEpochSecondsDouble(t) : null;

    public static Sdk.ConsumedCapacity? Capacity(ConsumedCapacity? capacity) => capacity is null ? null : new Sdk.ConsumedCapacity
    {
        TableName = capacity.TableName,
        CapacityUnits = capacity.CapacityUnits,
        ReadCapacityUnits = capacity.ReadCapacityUnits,
        WriteCapacityUnits = capacity.WriteCapacityUnits,
        Table = capacity.Table is { } table
            ? new Sdk.Capacity { CapacityUnits = table.CapacityUnits, ReadCapacityUnits = table.ReadCapacityUnits, WriteCapacityUnits = table.WriteCapacityUnits }
            : null,
    };

    public static List<Sdk.ConsumedCapacity>? Capacities(IReadOnlyList<ConsumedCapacity>? capacities) =>
        capacities?.Select(c => Capacity(c)!).ToList();
}
