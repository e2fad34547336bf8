using Orleans.Serialization.TypeSystem;
using OrleansDynamo.Partitions;

namespace OrleansDynamo.Placement;

/// <summary>Which partitions are active on which silo, as the silos report it.</summary>
public static class PartitionCensus
{
    // The name under which silos report activations of a grain class.
    private static readonly string PartitionGrainType = RuntimeTypeNameFormatter.Format(typeof(PartitionGrain));

    /// <summary>Every active silo, including those that host no partition, with the partitions it hosts.</summary>
    public static async Task<IReadOnlyDictionary<SiloAddress, IReadOnlyList<GrainId>>> TakeAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var silos = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var activations = await management.GetDetailedGrainStatistics([PartitionGrainType], silos);
        var hosted = activations.ToLookup(a => a.SiloAddress, a => a.GrainId);
        return silos.ToDictionary(s => s, s => (IReadOnlyList<GrainId>)hosted[s].Distinct().ToList());
    }
}
