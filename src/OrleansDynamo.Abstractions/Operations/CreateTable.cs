using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>CreateTable, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.CreateTableRequest")]
public sealed record CreateTableRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; }
    [Id(2)] public IReadOnlyList<AttributeDefinition>? AttributeDefinitions { get; init; }
    [Id(3)] public string? BillingMode { get; init; }
    [Id(4)] public ProvisionedThroughput? ProvisionedThroughput { get; init; }
    [Id(5)] public bool? DeletionProtectionEnabled { get; init; }
    [Id(6)] public IReadOnlyList<LocalSecondaryIndex>? LocalSecondaryIndexes { get; init; }
    [Id(7)] public IReadOnlyList<GlobalSecondaryIndex>? GlobalSecondaryIndexes { get; init; }
    [Id(8)] public StreamSpecification? StreamSpecification { get; init; }
    [Id(9)] public IReadOnlyList<Tag>? Tags { get; init; }
    [Id(10)] public string? TableClass { get; init; }
    [Id(11)] public SSESpecification? SSESpecification { get; init; }
    [Id(12)] public OnDemandThroughput? OnDemandThroughput { get; init; }
    [Id(13)] public WarmThroughput? WarmThroughput { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.CreateTableResponse")]
public sealed record CreateTableResponse
{
    [Id(0)] public TableDescription? TableDescription { get; init; }
}
