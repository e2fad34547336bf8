using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>DeleteTable, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DeleteTableRequest")]
public sealed record DeleteTableRequest
{
    [Id(0)] public string? TableName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DeleteTableResponse")]
public sealed record DeleteTableResponse
{
    [Id(0)] public TableDescription? TableDescription { get; init; }
}
