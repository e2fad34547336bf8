namespace OrleansDynamo.Operations;

/// <summary>UpdateTimeToLive, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.UpdateTimeToLiveRequest")]
public sealed record UpdateTimeToLiveRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public TimeToLiveSpecification? TimeToLiveSpecification { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.TimeToLiveSpecification")]
public sealed record TimeToLiveSpecification
{
    [Id(0)] public bool? Enabled { get; init; }
    [Id(1)] public string? AttributeName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.UpdateTimeToLiveResponse")]
public sealed record UpdateTimeToLiveResponse
{
    [Id(0)] public TimeToLiveSpecification? TimeToLiveSpecification { get; init; }
}
