using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>UpdateItem, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.UpdateItemRequest")]
public sealed record UpdateItemRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public Item? Key { get; init; }
    [Id(2)] public string? UpdateExpression { get; init; }
    [Id(3)] public string? ConditionExpression { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string>? ExpressionAttributeNames { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
    [Id(6)] public string? ReturnValues { get; init; }
    [Id(7)] public string? ReturnValuesOnConditionCheckFailure { get; init; }
    [Id(8)] public string? ReturnConsumedCapacity { get; init; }
    [Id(9)] public string? ReturnItemCollectionMetrics { get; init; }
    [Id(10)] public IReadOnlyDictionary<string, AttributeValueUpdate>? AttributeUpdates { get; init; }
    [Id(11)] public IReadOnlyDictionary<string, ExpectedAttributeValue>? Expected { get; init; }
    [Id(12)] public string? ConditionalOperator { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.UpdateItemResponse")]
public sealed record UpdateItemResponse
{
    [Id(0)] public Item? Attributes { get; init; }
    [Id(1)] public ConsumedCapacity? ConsumedCapacity { get; init; }
    [Id(2)] public ItemCollectionMetrics? ItemCollectionMetrics { get; init; }
}
