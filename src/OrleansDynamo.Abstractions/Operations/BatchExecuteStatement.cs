using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>BatchExecuteStatement (PartiQL), as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.BatchExecuteStatementRequest")]
public sealed record BatchExecuteStatementRequest
{
    [Id(0)] public IReadOnlyList<BatchStatementRequest>? Statements { get; init; }
    [Id(1)] public string? ReturnConsumedCapacity { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BatchStatementRequest")]
public sealed record BatchStatementRequest
{
    [Id(0)] public string? Statement { get; init; }
    [Id(1)] public IReadOnlyList<AttributeValue>? Parameters { get; init; }
    [Id(2)] public bool? ConsistentRead { get; init; }
    [Id(3)] public string? ReturnValuesOnConditionCheckFailure { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BatchExecuteStatementResponse")]
public sealed record BatchExecuteStatementResponse
{
    [Id(0)] public IReadOnlyList<BatchStatementResponse> Responses { get; init; } = [];
    [Id(1)] public IReadOnlyList<ConsumedCapacity>? ConsumedCapacity { get; init; }
}

/// <summary>One statement's outcome: its table and item, or its error.</summary>
[GenerateSerializer, Immutable, Alias("odyn.BatchStatementResponse")]
public sealed record BatchStatementResponse
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public Item? Item { get; init; }
    [Id(2)] public BatchStatementError? Error { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BatchStatementError")]
public sealed record BatchStatementError
{
    /// <summary>ConditionalCheckFailed, DuplicateItem, ValidationError, ResourceNotFound, ...</summary>
    [Id(0)] public string? Code { get; init; }
    [Id(1)] public string? Message { get; init; }
    [Id(2)] public Item? Item { get; init; }
}
