namespace OrleansDynamo.Model;

/// <summary>Which attributes an index copies: <c>KEYS_ONLY</c>, <c>INCLUDE</c> (with NonKeyAttributes) or <c>ALL</c>.</summary>
[GenerateSerializer, Immutable, Alias("odyn.Projection")]
public sealed record Projection
{
    [Id(0)] public string? ProjectionType { get; init; }
    [Id(1)] public IReadOnlyList<string>? NonKeyAttributes { get; init; }
}

/// <summary>A local secondary index of CreateTable: same partition key, another sort key.</summary>
[GenerateSerializer, Immutable, Alias("odyn.LocalSecondaryIndex")]
public sealed record LocalSecondaryIndex
{
    [Id(0)] public string? IndexName { get; init; }
    [Id(1)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; }
    [Id(2)] public Projection? Projection { get; init; }
}

/// <summary>A global secondary index of CreateTable or UpdateTable's Create action.</summary>
[GenerateSerializer, Immutable, Alias("odyn.GlobalSecondaryIndex")]
public sealed record GlobalSecondaryIndex
{
    [Id(0)] public string? IndexName { get; init; }
    [Id(1)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; }
    [Id(2)] public Projection? Projection { get; init; }
    [Id(3)] public ProvisionedThroughput? ProvisionedThroughput { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.LocalSecondaryIndexDescription")]
public sealed record LocalSecondaryIndexDescription
{
    [Id(0)] public string IndexName { get; init; } = "";
    [Id(1)] public IReadOnlyList<KeySchemaElement> KeySchema { get; init; } = [];
    [Id(2)] public Projection Projection { get; init; } = new();
    [Id(3)] public long IndexSizeBytes { get; init; }
    [Id(4)] public long ItemCount { get; init; }
    [Id(5)] public string IndexArn { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("odyn.GlobalSecondaryIndexDescription")]
public sealed record GlobalSecondaryIndexDescription
{
    [Id(0)] public string IndexName { get; init; } = "";
    [Id(1)] public IReadOnlyList<KeySchemaElement> KeySchema { get; init; } = [];
    [Id(2)] public Projection Projection { get; init; } = new();
    /// <summary><c>CREATING</c>, <c>ACTIVE</c>, <c>DELETING</c> or <c>UPDATING</c>.</summary>
    [Id(3)] public string IndexStatus { get; init; } = "ACTIVE";
    /// <summary>True while the index is being filled from the table's existing items.</summary>
    [Id(4)] public bool? Backfilling { get; init; }
    [Id(5)] public ProvisionedThroughputDescription? ProvisionedThroughput { get; init; }
    [Id(6)] public long IndexSizeBytes { get; init; }
    [Id(7)] public long ItemCount { get; init; }
    [Id(8)] public string IndexArn { get; init; } = "";
}

/// <summary>One element of UpdateTable's GlobalSecondaryIndexUpdates: exactly one action is set.</summary>
[GenerateSerializer, Immutable, Alias("odyn.GlobalSecondaryIndexUpdate")]
public sealed record GlobalSecondaryIndexUpdate
{
    [Id(0)] public GlobalSecondaryIndex? Create { get; init; }
    [Id(1)] public DeleteGlobalSecondaryIndexAction? Delete { get; init; }
    [Id(2)] public UpdateGlobalSecondaryIndexAction? Update { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DeleteGlobalSecondaryIndexAction")]
public sealed record DeleteGlobalSecondaryIndexAction
{
    [Id(0)] public string? IndexName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.UpdateGlobalSecondaryIndexAction")]
public sealed record UpdateGlobalSecondaryIndexAction
{
    [Id(0)] public string? IndexName { get; init; }
    [Id(1)] public ProvisionedThroughput? ProvisionedThroughput { get; init; }
}

/// <summary>The size of one item collection (items sharing a partition key) of a table with local secondary indexes.</summary>
[GenerateSerializer, Immutable, Alias("odyn.ItemCollectionMetrics")]
public sealed record ItemCollectionMetrics
{
    [Id(0)] public Item? ItemCollectionKey { get; init; }
    /// <summary>Lower and upper bound of the collection's size, in GB.</summary>
    [Id(1)] public IReadOnlyList<double>? SizeEstimateRangeGB { get; init; }
}

/// <summary>
/// What routing and the partitions need to know of one secondary index. A local index lives inside the
/// table's partitions; a global index is partitioned on its own (<see cref="Map"/>), its partitions
/// addressed by the table incarnation and <see cref="IndexId"/>, which is new each time an index is created.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.IndexInfo")]
public sealed record IndexInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] bool IsGlobal,
    [property: Id(2)] string IndexId,
    [property: Id(3)] TableSchema KeySchema,
    [property: Id(4)] string ProjectionType,
    [property: Id(5)] IReadOnlyList<string> NonKeyAttributes,
    [property: Id(6)] PartitionMap? Map,
    [property: Id(7)] IReadOnlyList<KeyAttribute>? PartitionKeys = null,
    [property: Id(8)] IReadOnlyList<KeyAttribute>? SortKeys = null,
    [property: Id(9)] ThroughputLimits? Throughput = null)
{
    /// <summary>
    /// The partition key attributes, in order: one, or up to four for a global index with a multi-attribute key
    /// (<see cref="KeySchema"/> then names the first of each). Indexes made before multi-attribute keys have no
    /// <see cref="PartitionKeys"/>/<see cref="SortKeys"/>: their <see cref="KeySchema"/> is the whole key.
    /// </summary>
    public IReadOnlyList<KeyAttribute> HashAttributes => PartitionKeys ?? [KeySchema.HashKey];

    /// <summary>The sort key attributes, in order: none, one, or up to four.</summary>
    public IReadOnlyList<KeyAttribute> RangeAttributes => SortKeys ?? (KeySchema.RangeKey is { } range ? [range] : []);

    /// <summary>Whether a key spans several attributes, so that queries and entries use the composite form.</summary>
    public bool IsMultiAttribute => HashAttributes.Count > 1 || RangeAttributes.Count > 1;

    public IEnumerable<KeyAttribute> KeyAttributes => HashAttributes.Concat(RangeAttributes);

    public IReadOnlyCollection<string> KeyAttributeNames => KeyAttributes.Select(k => k.Name).ToArray();

    public const string KeysOnly = "KEYS_ONLY";
    public const string Include = "INCLUDE";
    public const string All = "ALL";
}
