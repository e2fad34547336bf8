using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// What every collaborator of one partition activation reads: where its records are, its epoch and range
/// (both change with a split), and the table's routing info.
/// </summary>
internal sealed class PartitionScope(IPartitionStore store, StoreSpace space, int partitionId)
{
    public IPartitionStore Store { get; } = store;
    public StoreSpace Space { get; } = space;
    public int PartitionId { get; } = partitionId;
    public long Epoch { get; set; }
    public PartitionRange Range { get; set; } = null!;
    public TableInfo Table { get; set; } = null!;

    public TableSchema Schema => Table.Schema;
    public bool Owns(ulong hash) => Range.Contains(hash);

    /// <summary>The first store key of the range, and the first after it (null: the end of the space).</summary>
    public byte[] RangeStartKey => StoreKeys.HashStart(Range.Start);
    public byte[]? RangeEndKey => StoreKeys.HashEnd(Range.End);

    public override string ToString() => $"{Space}#{PartitionId}";
}
