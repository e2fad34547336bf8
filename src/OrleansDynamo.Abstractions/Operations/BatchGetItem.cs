using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>BatchGetItem, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.BatchGetItemRequest")]
public sealed record BatchGetItemRequest
{
    [Id(0)] public IReadOnlyDictionary<string, KeysAndAttributes>? RequestItems { get; init; }
    [Id(1)] public string? ReturnConsumedCapacity { get; init; }
}

/// <summary>The keys to read from one table, and how to read them.</summary>
[GenerateSerializer, Immutable, Alias("odyn.KeysAndAttributes")]
public sealed record KeysAndAttributes
{
    [Id(0)] public IReadOnlyList<Item>? Keys { get; init; }
    [Id(1)] public IReadOnlyList<string>? AttributesToGet { get; init; }
    [Id(2)] public bool? ConsistentRead { get; init; }
    [Id(3)] public string? ProjectionExpression { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string>? ExpressionAttributeNames { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BatchGetItemResponse")]
public sealed record BatchGetItemResponse
{
    [Id(0)] public IReadOnlyDictionary<string, IReadOnlyList<Item>> Responses { get; init; } = new Dictionary<string, IReadOnlyList<Item>>();
    /// <summary>Keys not read because the response was full, in the shape of RequestItems; empty when all were read.</summary>
    [Id(1)] public IReadOnlyDictionary<string, KeysAndAttributes> UnprocessedKeys { get; init; } = new Dictionary<string, KeysAndAttributes>();
    [Id(2)] public IReadOnlyList<ConsumedCapacity>? ConsumedCapacity { get; init; }
}
