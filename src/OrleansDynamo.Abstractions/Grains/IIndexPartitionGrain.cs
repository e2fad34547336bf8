using Orleans.Concurrency;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>
/// One partition of a global secondary index: the index entries whose index partition key hashes into one
/// range of the index's own partition map. Base partitions deliver changes to it (eventually consistent).
/// </summary>
[Alias("odyn.IIndexPartitionGrain")]
public interface IIndexPartitionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies changes idempotently: a change older than (or as old as) the entry the partition holds for
    /// that item is ignored. Durable when the call returns. StaleRouteException when a change's hash is not owned.
    /// </summary>
    [Alias("Apply")] Task Apply(IReadOnlyList<IndexChange> changes);
    [Alias("Query")] Task<QueryResponse> Query(QueryRequest request);
    [Alias("Scan")] Task<ScanPage> Scan(ScanPageRequest request);
    /// <remarks>
    /// Interleaves: it reads counters only, and the table grain asks for it (DescribeTable) while this grain may be
    /// waiting on the table grain in a split: without interleaving the two would wait on each other.
    /// </remarks>
    [Alias("GetStats"), Orleans.Concurrency.AlwaysInterleave] Task<PartitionStats> GetStats();

    /// <summary>The table changed (the index's throughput, say): the partition goes on with <paramref name="table"/>.</summary>
    [Alias("RefreshTable")] Task RefreshTable(TableInfo table);

    /// <summary>Deletes the partition's entries (the index or table is gone) and deactivates.</summary>
    [Alias("Drop"), OneWay] Task Drop();
}

/// <summary>
/// One item's change to a global index: its new entry (projected), or null when it has no entry in this
/// index partition any more. <see cref="Sequence"/> grows with every change of the item, so late or
/// repeated deliveries cannot undo a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.IndexChange")]
public sealed record IndexChange(
    [property: Id(0)] Item TableKey,
    [property: Id(1)] long Sequence,
    [property: Id(2)] ulong IndexHash,
    [property: Id(3)] Item? Entry);

/// <summary>The grain key of an index partition: table name, table incarnation, index id and partition id.</summary>
public static class IndexPartitionKey
{
    public static string Format(string tableName, string incarnation, string indexId, int partitionId) =>
        $"{tableName}|{incarnation}|{indexId}|{partitionId}";

    public static (string TableName, string Incarnation, string IndexId, int PartitionId) Parse(string key)
    {
        var parts = key.Split('|');
        return (parts[0], parts[1], parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture));
    }
}
