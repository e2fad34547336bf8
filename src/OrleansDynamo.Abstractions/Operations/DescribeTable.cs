using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>DescribeTable, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeTableRequest")]
public sealed record DescribeTableRequest
{
    [Id(0)] public string? TableName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeTableResponse")]
public sealed record DescribeTableResponse
{
    [Id(0)] public TableDescription? Table { get; init; }
}
