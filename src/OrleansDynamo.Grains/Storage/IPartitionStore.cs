using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>Names one partition of one incarnation of a table in the store.</summary>
public sealed record PartitionAddress(string TableName, string Incarnation, int PartitionId);

/// <summary>One item write: the new item under a store key, or a delete when <see cref="Item"/> is null.</summary>
public sealed record ItemWrite(byte[] Key, Item? Item);

/// <summary>What a partition activation starts from: its fencing epoch and its items.</summary>
public sealed record PartitionLoad(long Epoch, IReadOnlyList<Item> Items);

/// <summary>
/// Where a partition's items live, written per item (never as one blob per partition).
/// Implementations: memory (tests, <c>--in-memory</c>); embedded and PostgreSQL come with durable storage.
/// </summary>
public interface IPartitionStore
{
    /// <summary>Starts a new activation of a partition: takes the next epoch and loads the items.</summary>
    Task<PartitionLoad> OpenAsync(PartitionAddress partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the writes atomically and durably if <paramref name="epoch"/> is still the partition's
    /// newest; otherwise throws <see cref="StaleEpochException"/> and applies nothing.
    /// </summary>
    Task CommitAsync(PartitionAddress partition, long epoch, IReadOnlyList<ItemWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Deletes every item of the partition.</summary>
    Task DeletePartitionAsync(PartitionAddress partition, CancellationToken cancellationToken = default);
}

/// <summary>A newer activation of the partition has opened it; this one must stop writing.</summary>
public sealed class StaleEpochException(PartitionAddress partition, long epoch)
    : Exception($"Partition {partition} was opened with a newer epoch than {epoch}");
