using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>DynamoDB Streams' DescribeStream, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeStreamRequest")]
public sealed record DescribeStreamRequest
{
    [Id(0)] public string? StreamArn { get; init; }
    [Id(1)] public int? Limit { get; init; }
    [Id(2)] public string? ExclusiveStartShardId { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeStreamResponse")]
public sealed record DescribeStreamResponse
{
    [Id(0)] public StreamDescription? StreamDescription { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.StreamDescription")]
public sealed record StreamDescription
{
    [Id(0)] public string StreamArn { get; init; } = "";
    [Id(1)] public string StreamLabel { get; init; } = "";
    /// <summary>ENABLING, ENABLED, DISABLING or DISABLED.</summary>
    [Id(2)] public string StreamStatus { get; init; } = "";
    [Id(3)] public string StreamViewType { get; init; } = "";
    /// <summary>Seconds since the Unix epoch.</summary>
    [Id(4)] public double CreationRequestDateTime { get; init; }
    [Id(5)] public string TableName { get; init; } = "";
    [Id(6)] public IReadOnlyList<KeySchemaElement> KeySchema { get; init; } = [];
    [Id(7)] public IReadOnlyList<Shard> Shards { get; init; } = [];
    [Id(8)] public string? LastEvaluatedShardId { get; init; }
}

/// <summary>One shard of a stream: the change records of one partition over one stretch of its life.</summary>
[GenerateSerializer, Immutable, Alias("odyn.Shard")]
public sealed record Shard
{
    [Id(0)] public string ShardId { get; init; } = "";
    [Id(1)] public SequenceNumberRange SequenceNumberRange { get; init; } = new();
    /// <summary>The shard this one continues (a split closes a shard and opens two that name it).</summary>
    [Id(2)] public string? ParentShardId { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.SequenceNumberRange")]
public sealed record SequenceNumberRange
{
    [Id(0)] public string? StartingSequenceNumber { get; init; }
    /// <summary>Only on a closed shard.</summary>
    [Id(1)] public string? EndingSequenceNumber { get; init; }
}
