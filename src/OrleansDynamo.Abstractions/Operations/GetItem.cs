using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>GetItem, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.GetItemRequest")]
public sealed record GetItemRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public Item? Key { get; init; }
    [Id(2)] public string? ProjectionExpression { get; init; }
    [Id(3)] public IReadOnlyDictionary<string, string>? ExpressionAttributeNames { get; init; }
    [Id(4)] public bool? ConsistentRead { get; init; }
    [Id(5)] public string? ReturnConsumedCapacity { get; init; }
    [Id(6)] public IReadOnlyList<string>? AttributesToGet { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.GetItemResponse")]
public sealed record GetItemResponse
{
    [Id(0)] public Item? Item { get; init; }
    [Id(1)] public ConsumedCapacity? ConsumedCapacity { get; init; }
}
