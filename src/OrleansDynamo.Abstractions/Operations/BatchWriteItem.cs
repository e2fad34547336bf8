using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>BatchWriteItem, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.BatchWriteItemRequest")]
public sealed record BatchWriteItemRequest
{
    [Id(0)] public IReadOnlyDictionary<string, IReadOnlyList<WriteRequest>>? RequestItems { get; init; }
    [Id(1)] public string? ReturnConsumedCapacity { get; init; }
    [Id(2)] public string? ReturnItemCollectionMetrics { get; init; }
}

/// <summary>One put or one delete of a BatchWriteItem: exactly one of the two is set.</summary>
[GenerateSerializer, Immutable, Alias("odyn.WriteRequest")]
public sealed record WriteRequest
{
    [Id(0)] public PutRequest? PutRequest { get; init; }
    [Id(1)] public DeleteRequest? DeleteRequest { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.PutRequest")]
public sealed record PutRequest
{
    [Id(0)] public Item? Item { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DeleteRequest")]
public sealed record DeleteRequest
{
    [Id(0)] public Item? Key { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BatchWriteItemResponse")]
public sealed record BatchWriteItemResponse
{
    /// <summary>Requests not written, in the shape of RequestItems; empty when all were written.</summary>
    [Id(0)] public IReadOnlyDictionary<string, IReadOnlyList<WriteRequest>> UnprocessedItems { get; init; } = new Dictionary<string, IReadOnlyList<WriteRequest>>();
    [Id(1)] public IReadOnlyList<ConsumedCapacity>? ConsumedCapacity { get; init; }
}
