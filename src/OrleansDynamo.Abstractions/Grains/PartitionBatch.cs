using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>The keys of one BatchGetItem table that one partition owns, read in one grain call.</summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionBatchGet")]
public sealed record PartitionBatchGet
{
    [Id(0)] public required IReadOnlyList<Item> Keys { get; init; }
    /// <summary>The table's KeysAndAttributes without its keys: projection and names.</summary>
    [Id(1)] public required KeysAndAttributes Read { get; init; }
}

/// <summary>
/// Per key, in the order asked: the (projected) item or null, and the full item's size for capacity; and the
/// positions of the keys that capacity left unread (UnprocessedKeys).
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionBatchGetResult")]
public sealed record PartitionBatchGetResult
{
    [Id(0)] public required IReadOnlyList<Item?> Items { get; init; }
    [Id(1)] public required IReadOnlyList<int> ItemSizes { get; init; }
    [Id(2)] public IReadOnlyList<int> Unprocessed { get; init; } = [];
}

/// <summary>The puts and deletes of one BatchWriteItem table that one partition owns, written in one grain call.</summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionBatchWrite")]
public sealed record PartitionBatchWrite
{
    [Id(0)] public required IReadOnlyList<WriteRequest> Requests { get; init; }

    /// <summary>A restore or an import filling its new table: no capacity is checked or consumed, as DynamoDB's restores are not.</summary>
    [Id(1)] public bool Unmetered { get; init; }
}

/// <summary>Per request, in the order asked: the write capacity units it consumed; and the positions of those capacity left unwritten (UnprocessedItems).</summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionBatchWriteResult")]
public sealed record PartitionBatchWriteResult
{
    [Id(0)] public required IReadOnlyList<double> WriteUnits { get; init; }
    [Id(1)] public IReadOnlyList<int> Unprocessed { get; init; } = [];
}
