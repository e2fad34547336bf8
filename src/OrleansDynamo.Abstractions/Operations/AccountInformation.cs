namespace OrleansDynamo.Operations;

/// <summary>DescribeLimits, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeLimitsRequest")]
public sealed record DescribeLimitsRequest;

[GenerateSerializer, Immutable, Alias("odyn.DescribeLimitsResponse")]
public sealed record DescribeLimitsResponse
{
    [Id(0)] public long AccountMaxReadCapacityUnits { get; init; }
    [Id(1)] public long AccountMaxWriteCapacityUnits { get; init; }
    [Id(2)] public long TableMaxReadCapacityUnits { get; init; }
    [Id(3)] public long TableMaxWriteCapacityUnits { get; init; }
}

/// <summary>DescribeEndpoints, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeEndpointsRequest")]
public sealed record DescribeEndpointsRequest
{
    /// <summary>Not on the wire: the host name the request was sent to, which the HTTP endpoint fills in.</summary>
    [Id(0), System.Text.Json.Serialization.JsonIgnore] public string? Host { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeEndpointsResponse")]
public sealed record DescribeEndpointsResponse
{
    [Id(0)] public IReadOnlyList<Endpoint> Endpoints { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("odyn.Endpoint")]
public sealed record Endpoint
{
    [Id(0)] public string Address { get; init; } = "";
    [Id(1)] public long CachePeriodInMinutes { get; init; }
}

/// <summary>DescribeContinuousBackups, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeContinuousBackups.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeContinuousBackupsRequest")]
public sealed record DescribeContinuousBackupsRequest
{
    [Id(0)] public string? TableName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeContinuousBackupsResponse")]
public sealed record DescribeContinuousBackupsResponse
{
    [Id(0)] public ContinuousBackupsDescription? ContinuousBackupsDescription { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ContinuousBackupsDescription")]
public sealed record ContinuousBackupsDescription
{
    [Id(0)] public string ContinuousBackupsStatus { get; init; } = "ENABLED";
    [Id(1)] public PointInTimeRecoveryDescription? PointInTimeRecoveryDescription { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.PointInTimeRecoveryDescription")]
public sealed record PointInTimeRecoveryDescription
{
    [Id(0)] public string PointInTimeRecoveryStatus { get; init; } = "DISABLED";
    [Id(1)] public int? RecoveryPeriodInDays { get; init; }
    [Id(2)] public double? EarliestRestorableDateTime { get; init; }
    [Id(3)] public double? LatestRestorableDateTime { get; init; }
}
