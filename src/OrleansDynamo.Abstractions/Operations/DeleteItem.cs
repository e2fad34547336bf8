using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>DeleteItem, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DeleteItemRequest")]
public sealed record DeleteItemRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public Item? Key { get; init; }
    [Id(2)] public string? ConditionExpression { get; init; }
    [Id(3)] public IReadOnlyDictionary<string, string>? ExpressionAttributeNames { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
    [Id(5)] public string? ReturnValues { get; init; }
    [Id(6)] public string? ReturnValuesOnConditionCheckFailure { get; init; }
    [Id(7)] public string? ReturnConsumedCapacity { get; init; }
    [Id(8)] public string? ReturnItemCollectionMetrics { get; init; }
    [Id(9)] public IReadOnlyDictionary<string, ExpectedAttributeValue>? Expected { get; init; }
    [Id(10)] public string? ConditionalOperator { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DeleteItemResponse")]
public sealed record DeleteItemResponse
{
    [Id(0)] public Item? Attributes { get; init; }
    [Id(1)] public ConsumedCapacity? ConsumedCapacity { get; init; }
    [Id(2)] public ItemCollectionMetrics? ItemCollectionMetrics { get; init; }
}
