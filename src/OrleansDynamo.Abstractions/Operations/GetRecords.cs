using System.Text.Json.Serialization;
using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>DynamoDB Streams' GetRecords, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.GetRecordsRequest")]
public sealed record GetRecordsRequest
{
    [Id(0)] public string? ShardIterator { get; init; }
    [Id(1)] public int? Limit { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.GetRecordsResponse")]
public sealed record GetRecordsResponse
{
    [Id(0)] public IReadOnlyList<ChangeRecord> Records { get; init; } = [];
    /// <summary>Absent once a closed shard has been read to its end.</summary>
    [Id(1)] public string? NextShardIterator { get; init; }
}

/// <summary>One change of one item, in DynamoDB Streams' record shape (its members are lower camel case on the wire).</summary>
[GenerateSerializer, Immutable, Alias("odyn.ChangeRecord")]
public sealed record ChangeRecord
{
    [Id(0), JsonPropertyName("eventID")] public string EventId { get; init; } = "";
    /// <summary>INSERT, MODIFY or REMOVE.</summary>
    [Id(1), JsonPropertyName("eventName")] public string EventName { get; init; } = "";
    [Id(2), JsonPropertyName("eventVersion")] public string EventVersion { get; init; } = "1.1";
    [Id(3), JsonPropertyName("eventSource")] public string EventSource { get; init; } = "aws:dynamodb";
    [Id(4), JsonPropertyName("awsRegion")] public string AwsRegion { get; init; } = "";
    [Id(5), JsonPropertyName("dynamodb")] public StreamRecordData Dynamodb { get; init; } = new();
    /// <summary>Only on deletions by time to live: the service did it.</summary>
    [Id(6), JsonPropertyName("userIdentity")] public StreamIdentity? UserIdentity { get; init; }
}

/// <summary>The <c>dynamodb</c> part of a change record.</summary>
[GenerateSerializer, Immutable, Alias("odyn.StreamRecordData")]
public sealed record StreamRecordData
{
    /// <summary>Seconds since the Unix epoch.</summary>
    [Id(0)] public double ApproximateCreationDateTime { get; init; }
    [Id(1)] public Item Keys { get; init; } = Item.Empty;
    [Id(2)] public Item? NewImage { get; init; }
    [Id(3)] public Item? OldImage { get; init; }
    [Id(4)] public string SequenceNumber { get; init; } = "";
    [Id(5)] public long SizeBytes { get; init; }
    [Id(6)] public string StreamViewType { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("odyn.StreamIdentity")]
public sealed record StreamIdentity
{
    [Id(0)] public string PrincipalId { get; init; } = "";
    [Id(1)] public string Type { get; init; } = "";

    /// <summary>The identity of deletions made by time to live.</summary>
    public static StreamIdentity TimeToLive { get; } = new() { PrincipalId = "dynamodb.amazonaws.com", Type = "Service" };
}
