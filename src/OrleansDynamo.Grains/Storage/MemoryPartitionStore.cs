using System.Collections.Concurrent;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>Keeps partitions in process memory: nothing survives the process. For tests and <c>--in-memory</c>.</summary>
public sealed class MemoryPartitionStore : IPartitionStore
{
    private sealed class Partition
    {
        public long Epoch;
        public readonly Dictionary<string, Item> Items = new(StringComparer.Ordinal);
    }

    private readonly ConcurrentDictionary<PartitionAddress, Partition> _partitions = new();

    public Task<PartitionLoad> OpenAsync(PartitionAddress partition, CancellationToken cancellationToken = default)
    {
        var stored = _partitions.GetOrAdd(partition, _ => new Partition());
        lock (stored)
        {
            stored.Epoch++;
            return Task.FromResult(new PartitionLoad(stored.Epoch, stored.Items.Values.ToArray()));
        }
    }

    public Task CommitAsync(PartitionAddress partition, long epoch, IReadOnlyList<ItemWrite> writes, CancellationToken cancellationToken = default)
    {
        var stored = _partitions.GetOrAdd(partition, _ => new Partition());
        lock (stored)
        {
            if (stored.Epoch != epoch) throw new StaleEpochException(partition, epoch);
            foreach (var write in writes)
            {
                var key = Convert.ToBase64String(write.Key);
                if (write.Item is null) stored.Items.Remove(key);
                else stored.Items[key] = write.Item;
            }
        }
        return Task.CompletedTask;
    }

    public Task DeletePartitionAsync(PartitionAddress partition, CancellationToken cancellationToken = default)
    {
        _partitions.TryRemove(partition, out _);
        return Task.CompletedTask;
    }
}
