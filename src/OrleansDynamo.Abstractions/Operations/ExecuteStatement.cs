using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>ExecuteStatement (PartiQL), as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ExecuteStatementRequest")]
public sealed record ExecuteStatementRequest
{
    [Id(0)] public string? Statement { get; init; }
    [Id(1)] public IReadOnlyList<AttributeValue>? Parameters { get; init; }
    [Id(2)] public bool? ConsistentRead { get; init; }
    [Id(3)] public string? NextToken { get; init; }
    [Id(4)] public string? ReturnConsumedCapacity { get; init; }
    [Id(5)] public int? Limit { get; init; }
    [Id(6)] public string? ReturnValuesOnConditionCheckFailure { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ExecuteStatementResponse")]
public sealed record ExecuteStatementResponse
{
    [Id(0)] public IReadOnlyList<Item>? Items { get; init; }
    [Id(1)] public string? NextToken { get; init; }
    [Id(2)] public ConsumedCapacity? ConsumedCapacity { get; init; }
    [Id(3)] public Item? LastEvaluatedKey { get; init; }
}
