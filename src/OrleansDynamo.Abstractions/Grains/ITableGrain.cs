using OrleansDynamo.Model;
using Orleans.Concurrency;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>One table (key: table name): its description, key schema and partition map.</summary>
[Alias("odyn.ITableGrain")]
public interface ITableGrain : IGrainWithStringKey
{
    /// <summary>Creates the table from a validated request; ResourceInUseException when it exists.</summary>
    [Alias("Create")] Task<TableDescription> Create(CreateTableRequest request);

    /// <summary>Schema and partition map for routing; ResourceNotFoundException when there is no table.</summary>
    /// <remarks>Interleaves: partitions ask for it while they activate, possibly during another call to this grain.</remarks>
    [Alias("GetInfo"), AlwaysInterleave] Task<TableInfo> GetInfo();

    [Alias("Describe")] Task<TableDescription> Describe();

    /// <summary>A partition id no partition of this table has used, for the new half of a split.</summary>
    [Alias("AllocatePartitionId")] Task<int> AllocatePartitionId();

    /// <summary>
    /// Splits a partition's range at <paramref name="splitAt"/>: the parent keeps the hashes below it, the
    /// child owns the rest. The child's items are already in the store. Returns the new routing info.
    /// </summary>
    [Alias("CommitSplit")] Task<TableInfo> CommitSplit(int parentId, ulong splitAt, int childId);

    /// <summary>The same for a partition of the global secondary index <paramref name="indexId"/>.</summary>
    [Alias("CommitIndexSplit")] Task<TableInfo> CommitIndexSplit(string indexId, int parentId, ulong splitAt, int childId);

    [Alias("Update")] Task<TableDescription> Update(UpdateTableRequest request);

    /// <summary>Removes the table at once; returns its description with status DELETING.</summary>
    [Alias("Delete")] Task<TableDescription> Delete();
}
