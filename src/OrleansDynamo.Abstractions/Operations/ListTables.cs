using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>ListTables, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ListTablesRequest")]
public sealed record ListTablesRequest
{
    [Id(0)] public string? ExclusiveStartTableName { get; init; }
    [Id(1)] public int? Limit { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ListTablesResponse")]
public sealed record ListTablesResponse
{
    [Id(0)] public IReadOnlyList<string> TableNames { get; init; } = [];
    [Id(1)] public string? LastEvaluatedTableName { get; init; }
}
