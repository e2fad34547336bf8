using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>TransactGetItems, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactGetItemsRequest")]
public sealed record TransactGetItemsRequest
{
    [Id(0)] public IReadOnlyList<TransactGetItem>? TransactItems { get; init; }
    [Id(1)] public string? ReturnConsumedCapacity { get; init; }
}

/// <summary>One read of a TransactGetItems: TableName, Key, ProjectionExpression and ExpressionAttributeNames of <see cref="Get"/>.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactGetItem")]
public sealed record TransactGetItem
{
    [Id(0)] public GetItemRequest? Get { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.TransactGetItemsResponse")]
public sealed record TransactGetItemsResponse
{
    /// <summary>One entry per get, in order; an entry without Item when the item does not exist.</summary>
    [Id(0)] public IReadOnlyList<ItemResponse> Responses { get; init; } = [];
    [Id(1)] public IReadOnlyList<ConsumedCapacity>? ConsumedCapacity { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ItemResponse")]
public sealed record ItemResponse
{
    [Id(0)] public Item? Item { get; init; }
}
