namespace OrleansDynamo.Operations;

/// <summary>DescribeTimeToLive, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeTimeToLiveRequest")]
public sealed record DescribeTimeToLiveRequest
{
    [Id(0)] public string? TableName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeTimeToLiveResponse")]
public sealed record DescribeTimeToLiveResponse
{
    [Id(0)] public TimeToLiveDescription? TimeToLiveDescription { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.TimeToLiveDescription")]
public sealed record TimeToLiveDescription
{
    /// <summary>ENABLING, DISABLING, ENABLED or DISABLED.</summary>
    [Id(0)] public string? TimeToLiveStatus { get; init; }
    [Id(1)] public string? AttributeName { get; init; }
}
