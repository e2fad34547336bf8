namespace OrleansDynamo.Operations;

/// <summary>DynamoDB Streams' GetShardIterator, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.GetShardIteratorRequest")]
public sealed record GetShardIteratorRequest
{
    [Id(0)] public string? StreamArn { get; init; }
    [Id(1)] public string? ShardId { get; init; }
    /// <summary>TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.</summary>
    [Id(2)] public string? ShardIteratorType { get; init; }
    [Id(3)] public string? SequenceNumber { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.GetShardIteratorResponse")]
public sealed record GetShardIteratorResponse
{
    [Id(0)] public string? ShardIterator { get; init; }
}
