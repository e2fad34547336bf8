using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>UpdateTable, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.UpdateTableRequest")]
public sealed record UpdateTableRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public string? BillingMode { get; init; }
    [Id(2)] public ProvisionedThroughput? ProvisionedThroughput { get; init; }
    [Id(3)] public IReadOnlyList<AttributeDefinition>? AttributeDefinitions { get; init; }
    [Id(4)] public bool? DeletionProtectionEnabled { get; init; }
    [Id(5)] public IReadOnlyList<GlobalSecondaryIndexUpdate>? GlobalSecondaryIndexUpdates { get; init; }
    [Id(6)] public StreamSpecification? StreamSpecification { get; init; }
    [Id(7)] public string? TableClass { get; init; }
    [Id(8)] public SSESpecification? SSESpecification { get; init; }
    [Id(9)] public OnDemandThroughput? OnDemandThroughput { get; init; }
    [Id(10)] public WarmThroughput? WarmThroughput { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.UpdateTableResponse")]
public sealed record UpdateTableResponse
{
    [Id(0)] public TableDescription? TableDescription { get; init; }
}
