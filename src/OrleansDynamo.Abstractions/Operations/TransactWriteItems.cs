using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>TransactWriteItems, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactWriteItemsRequest")]
public sealed record TransactWriteItemsRequest
{
    [Id(0)] public IReadOnlyList<TransactWriteItem>? TransactItems { get; init; }
    [Id(1)] public string? ClientRequestToken { get; init; }
    [Id(2)] public string? ReturnConsumedCapacity { get; init; }
    [Id(3)] public string? ReturnItemCollectionMetrics { get; init; }
}

/// <summary>
/// One action of a transaction: exactly one of the four is set. Put, Update and Delete carry the members of
/// their single-item operation that a transaction allows (TableName, the key or item, the condition and its
/// expression attributes, ReturnValuesOnConditionCheckFailure) and are validated as that operation is.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactWriteItem")]
public sealed record TransactWriteItem
{
    [Id(0)] public ConditionCheck? ConditionCheck { get; init; }
    [Id(1)] public PutItemRequest? Put { get; init; }
    [Id(2)] public UpdateItemRequest? Update { get; init; }
    [Id(3)] public DeleteItemRequest? Delete { get; init; }
}

/// <summary>A condition on an item that the transaction requires and does not change.</summary>
[GenerateSerializer, Immutable, Alias("odyn.ConditionCheck")]
public sealed record ConditionCheck
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public Item? Key { get; init; }
    [Id(2)] public string? ConditionExpression { get; init; }
    [Id(3)] public IReadOnlyDictionary<string, string>? ExpressionAttributeNames { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
    [Id(5)] public string? ReturnValuesOnConditionCheckFailure { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.TransactWriteItemsResponse")]
public sealed record TransactWriteItemsResponse
{
    [Id(0)] public IReadOnlyList<ConsumedCapacity>? ConsumedCapacity { get; init; }
    [Id(1)] public IReadOnlyDictionary<string, IReadOnlyList<ItemCollectionMetrics>>? ItemCollectionMetrics { get; init; }
}

/// <summary>Why one action of a cancelled transaction failed, or <c>None</c>: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.CancellationReason")]
public sealed record CancellationReason
{
    [Id(0)] public string Code { get; init; } = CancellationCodes.None;
    [Id(1)] public string? Message { get; init; }
    /// <summary>The item, for ConditionalCheckFailed with ReturnValuesOnConditionCheckFailure=ALL_OLD.</summary>
    [Id(2)] public Item? Item { get; init; }
}

/// <summary>DynamoDB's cancellation reason codes.</summary>
public static class CancellationCodes
{
    public const string None = "None";
    public const string ConditionalCheckFailed = "ConditionalCheckFailed";
    public const string ItemCollectionSizeLimitExceeded = "ItemCollectionSizeLimitExceeded";
    public const string TransactionConflict = "TransactionConflict";
    public const string ValidationError = "ValidationError";
}
