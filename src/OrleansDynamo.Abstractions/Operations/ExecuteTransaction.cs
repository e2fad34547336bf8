using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>ExecuteTransaction (PartiQL), as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ExecuteTransactionRequest")]
public sealed record ExecuteTransactionRequest
{
    [Id(0)] public IReadOnlyList<ParameterizedStatement>? TransactStatements { get; init; }
    [Id(1)] public string? ClientRequestToken { get; init; }
    [Id(2)] public string? ReturnConsumedCapacity { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ParameterizedStatement")]
public sealed record ParameterizedStatement
{
    [Id(0)] public string? Statement { get; init; }
    [Id(1)] public IReadOnlyList<AttributeValue>? Parameters { get; init; }
    [Id(2)] public string? ReturnValuesOnConditionCheckFailure { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ExecuteTransactionResponse")]
public sealed record ExecuteTransactionResponse
{
    /// <summary>One entry per statement of a read transaction (none for a write transaction).</summary>
    [Id(0)] public IReadOnlyList<ItemResponse>? Responses { get; init; }
    [Id(1)] public IReadOnlyList<ConsumedCapacity>? ConsumedCapacity { get; init; }
}
