using System.Buffers.Binary;
using System.Globalization;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// A partition's sequence numbers that only grow: each is above the last one of this partition and of every other
/// partition of the space (one of which may have owned the same items before a split), and at least the clock's
/// value, so that they stay near the clock. The newest is stored in a <c>Meta</c> record per partition, written with
/// the commit that first uses it, and an activation starts above all of them: a partition that moves to a silo whose
/// clock is behind, or to one that restarted, never goes back.
/// </summary>
internal sealed class SequenceWatermark(PartitionScope scope, string name)
{
    private long _last;

    public long Last => _last;

    public async Task LoadAsync()
    {
        var prefix = StoreKeys.Meta(name + "/");
        var stored = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Meta, prefix, Keys.OrderedKeyEncoding.PrefixEnd(prefix), forward: true, int.MaxValue);
        foreach (var record in stored) Raise(BinaryPrimitives.ReadInt64BigEndian(record.Value));
    }

    /// <summary>Takes the next sequence number: above every earlier one, and at least <paramref name="clock"/>.</summary>
    public long Next(long clock) => _last = Math.Max(_last + 1, clock);

    /// <summary>Raises the watermark to a sequence this partition found in use (an undelivered record, say).</summary>
    public void Raise(long sequence) => _last = Math.Max(_last, sequence);

    /// <summary>The record that keeps the watermark, to commit with (or before) the first use of its sequences.</summary>
    public StoreWrite Record()
    {
        var value = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(value, _last);
        return new StoreWrite(RecordKind.Meta, StoreKeys.Meta($"{name}/{scope.PartitionId.ToString("D10", CultureInfo.InvariantCulture)}"), value);
    }
}
