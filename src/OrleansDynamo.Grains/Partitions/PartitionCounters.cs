using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Counts and bytes of a partition per statistics bucket (<see cref="StoreKeys.BucketOf"/>), kept with the
/// writes: each commit also writes the new totals of the buckets it touched. Slots: 0 items, 1 item bytes,
/// then count and bytes of each local index. The item count, the partition's size and the split point come
/// from here, never from reading items; a split hands whole buckets to the child, whose totals are already stored.
/// </summary>
internal sealed class PartitionCounters(int slots)
{
    private readonly Dictionary<int, long[]> _buckets = [];
    private readonly HashSet<int> _touched = [];
    private readonly long[] _totals = new long[slots];

    public const int Items = 0;
    public const int ItemBytes = 1;

    /// <summary>The slot of a local index's entry count; its bytes are in the next one.</summary>
    public static int LocalIndexEntries(int index) => 2 + 2 * index;

    public int Slots => slots;
    public long ItemCount => _totals[Items];
    public long TotalBytes => _totals[ItemBytes];
    public long Total(int slot) => _totals[slot];

    public static async Task<PartitionCounters> LoadAsync(PartitionScope scope, int slots)
    {
        var counters = new PartitionCounters(slots);
        var from = StoreKeys.Stats(StoreKeys.BucketOf(scope.Range.Start));
        var end = StoreKeys.BucketOf(scope.Range.End);
        var to = end == (1 << StoreKeys.BucketBits) - 1 ? null : StoreKeys.Stats(end + 1);
        // Bounded by the number of buckets in the range (at most 65,536), whatever the data size.
        while (true)
        {
            var records = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Stats, from, to, forward: true, limit: 4096);
            foreach (var record in records)
            {
                var stored = StoreCodec.DecodeCounters(record.Value);
                var values = new long[slots];
                Array.Copy(stored, values, Math.Min(stored.Length, slots));
                counters._buckets[StoreKeys.BucketOfStatsKey(record.Key)] = values;
                for (var i = 0; i < slots; i++) counters._totals[i] += values[i];
            }
            if (records.Count < 4096) return counters;
            from = Keys.OrderedKeyEncoding.Successor(records[^1].Key);
        }
    }

    public void Add(ulong hash, int slot, long delta)
    {
        if (delta == 0) return;
        var bucket = StoreKeys.BucketOf(hash);
        if (!_buckets.TryGetValue(bucket, out var values)) _buckets[bucket] = values = new long[slots];
        values[slot] += delta;
        _totals[slot] += delta;
        _touched.Add(bucket);
    }

    /// <summary>The new totals of the buckets changed since the last call: part of the next commit.</summary>
    public void TakeWrites(List<StoreWrite> writes)
    {
        foreach (var bucket in _touched)
        {
            var values = _buckets[bucket];
            writes.Add(new StoreWrite(RecordKind.Stats, StoreKeys.Stats(bucket),
                values.All(v => v == 0) ? null : StoreCodec.EncodeCounters(values)));
        }
        _touched.Clear();
    }

    /// <summary>
    /// The bucket boundary that best halves the partition's bytes with data on both sides; null when all of
    /// it is in one bucket (one hot partition key, say), where no split would help.
    /// </summary>
    public ulong? SplitPoint(PartitionRange range)
    {
        var buckets = _buckets.Where(b => range.Contains(StoreKeys.BucketStart(b.Key)) && b.Value[ItemBytes] > 0).OrderBy(b => b.Key).ToList();
        if (buckets.Count < 2) return null;
        var half = buckets.Sum(b => b.Value[ItemBytes]) / 2.0;
        long below = buckets[0].Value[ItemBytes];
        int? best = null;
        var bestDistance = double.MaxValue;
        for (var i = 1; i < buckets.Count; i++)
        {
            var distance = Math.Abs(below - half);
            if (distance < bestDistance) (best, bestDistance) = (buckets[i].Key, distance);
            below += buckets[i].Value[ItemBytes];
        }
        return StoreKeys.BucketStart(best!.Value);
    }

    /// <summary>Drops the buckets a split gave away, with their share of the totals.</summary>
    public void Retain(PartitionRange range)
    {
        foreach (var bucket in _buckets.Keys.Where(b => !range.Contains(StoreKeys.BucketStart(b))).ToList())
        {
            var values = _buckets[bucket];
            for (var i = 0; i < slots; i++) _totals[i] -= values[i];
            _buckets.Remove(bucket);
            _touched.Remove(bucket);
        }
    }
}
