using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>Scan, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ScanRequest")]
public sealed record ScanRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public string? IndexName { get; init; }
    [Id(2)] public string? FilterExpression { get; init; }
    [Id(3)] public string? ProjectionExpression { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string>? ExpressionAttributeNames { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
    [Id(6)] public int? Limit { get; init; }
    [Id(7)] public Item? ExclusiveStartKey { get; init; }
    [Id(8)] public string? Select { get; init; }
    [Id(9)] public int? Segment { get; init; }
    [Id(10)] public int? TotalSegments { get; init; }
    [Id(11)] public bool? ConsistentRead { get; init; }
    [Id(12)] public string? ReturnConsumedCapacity { get; init; }
    [Id(13)] public IReadOnlyList<string>? AttributesToGet { get; init; }
    [Id(14)] public IReadOnlyDictionary<string, Condition>? ScanFilter { get; init; }
    [Id(15)] public string? ConditionalOperator { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ScanResponse")]
public sealed record ScanResponse
{
    [Id(0)] public IReadOnlyList<Item>? Items { get; init; }
    [Id(1)] public int Count { get; init; }
    [Id(2)] public int ScannedCount { get; init; }
    [Id(3)] public Item? LastEvaluatedKey { get; init; }
    [Id(4)] public ConsumedCapacity? ConsumedCapacity { get; init; }
}
