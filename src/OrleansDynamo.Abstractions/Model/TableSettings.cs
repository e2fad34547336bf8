namespace OrleansDynamo.Model;

/// <summary>A resource tag, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Tag.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.Tag")]
public sealed record Tag
{
    [Id(0)] public string? Key { get; init; }
    [Id(1)] public string? Value { get; init; }
}

/// <summary>DescribeTable's <c>TableClassSummary</c>: present once a table class was set.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableClassSummary")]
public sealed record TableClassSummary
{
    [Id(0)] public string? TableClass { get; init; }
    [Id(1)] public double? LastUpdateDateTime { get; init; }
}

/// <summary>Server-side encryption as asked for: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSESpecification.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.SSESpecification")]
public sealed record SSESpecification
{
    [Id(0)] public bool? Enabled { get; init; }
    [Id(1)] public string? SSEType { get; init; }
    [Id(2)] public string? KMSMasterKeyId { get; init; }
}

/// <summary>Server-side encryption as described: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSEDescription.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.SSEDescription")]
public sealed record SSEDescription
{
    [Id(0)] public string? Status { get; init; }
    [Id(1)] public string? SSEType { get; init; }
    [Id(2)] public string? KMSMasterKeyArn { get; init; }
}

/// <summary>The most request units an on-demand table may use: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_OnDemandThroughput.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.OnDemandThroughput")]
public sealed record OnDemandThroughput
{
    [Id(0)] public long? MaxReadRequestUnits { get; init; }
    [Id(1)] public long? MaxWriteRequestUnits { get; init; }
}

/// <summary>Warm throughput as asked for: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_WarmThroughput.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.WarmThroughput")]
public sealed record WarmThroughput
{
    [Id(0)] public long? ReadUnitsPerSecond { get; init; }
    [Id(1)] public long? WriteUnitsPerSecond { get; init; }
}

/// <summary>Warm throughput as described: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableWarmThroughputDescription.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableWarmThroughputDescription")]
public sealed record TableWarmThroughputDescription
{
    [Id(0)] public long? ReadUnitsPerSecond { get; init; }
    [Id(1)] public long? WriteUnitsPerSecond { get; init; }
    [Id(2)] public string? Status { get; init; }
}
