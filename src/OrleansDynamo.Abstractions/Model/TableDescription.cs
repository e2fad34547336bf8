namespace OrleansDynamo.Model;

/// <summary>One element of a table's key schema: an attribute name and its role.</summary>
[GenerateSerializer, Immutable, Alias("odyn.KeySchemaElement")]
public sealed record KeySchemaElement
{
    [Id(0)] public string? AttributeName { get; init; }
    /// <summary><c>HASH</c> or <c>RANGE</c>.</summary>
    [Id(1)] public string? KeyType { get; init; }
}

/// <summary>The scalar type (<c>S</c>, <c>N</c> or <c>B</c>) of a key attribute.</summary>
[GenerateSerializer, Immutable, Alias("odyn.AttributeDefinition")]
public sealed record AttributeDefinition
{
    [Id(0)] public string? AttributeName { get; init; }
    [Id(1)] public string? AttributeType { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ProvisionedThroughput")]
public sealed record ProvisionedThroughput
{
    [Id(0)] public long? ReadCapacityUnits { get; init; }
    [Id(1)] public long? WriteCapacityUnits { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ProvisionedThroughputDescription")]
public sealed record ProvisionedThroughputDescription
{
    [Id(0)] public long ReadCapacityUnits { get; init; }
    [Id(1)] public long WriteCapacityUnits { get; init; }
    [Id(2)] public long NumberOfDecreasesToday { get; init; }
    [Id(3)] public double? LastIncreaseDateTime { get; init; }
    [Id(4)] public double? LastDecreaseDateTime { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BillingModeSummary")]
public sealed record BillingModeSummary
{
    [Id(0)] public string? BillingMode { get; init; }
    [Id(1)] public double? LastUpdateToPayPerRequestDateTime { get; init; }
}

/// <summary>DescribeTable's <c>Table</c>, in DynamoDB's shape.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableDescription")]
public sealed record TableDescription
{
    [Id(0)] public string TableName { get; init; } = "";
    /// <summary>Null only in DeleteTable's answer, which leaves the schema out as DynamoDB does (also <see cref="AttributeDefinitions"/>).</summary>
    [Id(1)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; } = [];
    [Id(2)] public IReadOnlyList<AttributeDefinition>? AttributeDefinitions { get; init; } = [];
    [Id(3)] public string TableStatus { get; init; } = "ACTIVE";
    /// <summary>Seconds since the Unix epoch, as DynamoDB's JSON protocol sends timestamps; null in DeleteTable's answer.</summary>
    [Id(4)] public double? CreationDateTime { get; init; }
    [Id(5)] public ProvisionedThroughputDescription ProvisionedThroughput { get; init; } = new();
    [Id(6)] public BillingModeSummary? BillingModeSummary { get; init; }
    [Id(7)] public long TableSizeBytes { get; init; }
    [Id(8)] public long ItemCount { get; init; }
    [Id(9)] public string TableArn { get; init; } = "";
    [Id(10)] public string TableId { get; init; } = "";
    [Id(11)] public bool DeletionProtectionEnabled { get; init; }
    [Id(12)] public IReadOnlyList<LocalSecondaryIndexDescription>? LocalSecondaryIndexes { get; init; }
    [Id(13)] public IReadOnlyList<GlobalSecondaryIndexDescription>? GlobalSecondaryIndexes { get; init; }
    /// <summary>Present while a stream is enabled.</summary>
    [Id(14)] public StreamSpecification? StreamSpecification { get; init; }
    /// <summary>The newest stream of the table (also once disabled, as DynamoDB keeps it).</summary>
    [Id(15)] public string? LatestStreamArn { get; init; }
    [Id(16)] public string? LatestStreamLabel { get; init; }
    [Id(17)] public TableClassSummary? TableClassSummary { get; init; }
    [Id(18)] public SSEDescription? SSEDescription { get; init; }
    [Id(19)] public OnDemandThroughput? OnDemandThroughput { get; init; }
    [Id(20)] public TableWarmThroughputDescription? WarmThroughput { get; init; }
    /// <summary>Present on a table made by RestoreTableFromBackup or RestoreTableToPointInTime.</summary>
    [Id(21)] public Operations.RestoreSummary? RestoreSummary { get; init; }

    /// <summary>
    /// What DeleteTable answers: the table's identity, status, throughput and size, without its schema, indexes
    /// or creation time (as in the DeleteTable example of the API reference).
    /// </summary>
    public TableDescription AsDeleting() => this with
    {
        TableStatus = "DELETING", KeySchema = null, AttributeDefinitions = null, CreationDateTime = null,
        LocalSecondaryIndexes = null, GlobalSecondaryIndexes = null,
    };
}
