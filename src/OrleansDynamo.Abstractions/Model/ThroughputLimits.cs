namespace OrleansDynamo.Model;

/// <summary>
/// The capacity units per second a table or a global index may use, as its partitions enforce them: a
/// PROVISIONED table's capacity units, or an on-demand table's OnDemandThroughput maximums (null: no maximum).
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.ThroughputLimits")]
public sealed record ThroughputLimits(
    [property: Id(0)] double? ReadUnits,
    [property: Id(1)] double? WriteUnits,
    [property: Id(2)] bool Provisioned)
{
    public double? UnitsFor(bool read) => read ? ReadUnits : WriteUnits;

    /// <summary>The limits of a table or index, PROVISIONED or on-demand; on-demand maximums of -1 (or none) are no limit.</summary>
    public static ThroughputLimits Of(bool payPerRequest, ProvisionedThroughputDescription? provisioned, OnDemandThroughput? onDemand) =>
        payPerRequest
            ? new ThroughputLimits(Positive(onDemand?.MaxReadRequestUnits), Positive(onDemand?.MaxWriteRequestUnits), false)
            : new ThroughputLimits(provisioned?.ReadCapacityUnits ?? 0, provisioned?.WriteCapacityUnits ?? 0, true);

    private static double? Positive(long? units) => units is > 0 ? units : null;
}
