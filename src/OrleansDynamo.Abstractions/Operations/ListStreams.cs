namespace OrleansDynamo.Operations;

/// <summary>DynamoDB Streams' ListStreams, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ListStreamsRequest")]
public sealed record ListStreamsRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public int? Limit { get; init; }
    [Id(2)] public string? ExclusiveStartStreamArn { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ListStreamsResponse")]
public sealed record ListStreamsResponse
{
    [Id(0)] public IReadOnlyList<StreamSummary> Streams { get; init; } = [];
    [Id(1)] public string? LastEvaluatedStreamArn { get; init; }
}

/// <summary>One entry of ListStreams.</summary>
[GenerateSerializer, Immutable, Alias("odyn.StreamSummary")]
public sealed record StreamSummary
{
    [Id(0)] public string StreamArn { get; init; } = "";
    [Id(1)] public string TableName { get; init; } = "";
    [Id(2)] public string StreamLabel { get; init; } = "";
}
