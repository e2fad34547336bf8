namespace OrleansDynamo.Grains;

/// <summary>
/// What a partition tells its table grain about its capacity once per capacity window: the units per second
/// it was asked for in the last window (used and throttled), per bucket, and what its buckets hold, so that
/// a later activation of it (after a move or a failover) or a child of a split goes on from there.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.CapacityReport")]
public sealed record CapacityReport(
    [property: Id(0)] string? IndexId,
    [property: Id(1)] int PartitionId,
    [property: Id(2)] IReadOnlyDictionary<string, double> Demand,
    [property: Id(3)] IReadOnlyDictionary<string, double> Levels);

/// <summary>
/// The table grain's answer: per bucket, the fraction of the table's (or index's) units per second this
/// partition may use until its next report; and, for an activation, the levels its buckets start at
/// (null where the table grain does not know: the bucket starts full).
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.CapacityGrant")]
public sealed record CapacityGrant(
    [property: Id(0)] IReadOnlyDictionary<string, double> Shares,
    [property: Id(1)] IReadOnlyDictionary<string, double>? Levels);
