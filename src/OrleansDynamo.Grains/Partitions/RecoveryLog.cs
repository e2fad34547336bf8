using System.Buffers.Binary;
using OrleansDynamo.Hosting;
using OrleansDynamo.Storage;
using OrleansDynamo.Streams;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Point-in-time recovery's change log: while the table has it on, every write that changes an item also writes,
/// in the item's commit, the image it replaced, keyed by the item's key and then the commit time (microseconds,
/// monotonic per partition, also across activations and moves: <see cref="SequenceWatermark"/>). Whatever the
/// table's stream settings. The table as of T is its present state with each item changed after T put back to the
/// image its first change after T replaced (<c>TableImage</c>), so no base copy is kept: only the window's changes.
/// </summary>
internal sealed class RecoveryLog(PartitionScope scope, OrleansDynamoClock clock)
{
    /// <summary>The value of a record whose change created its item: there was no image.</summary>
    public static readonly byte[] Absent = [];

    private readonly SequenceWatermark _times = new(scope, "recovery/clock");
    private byte[]? _trimFrom;

    public Task LoadAsync() => _times.LoadAsync();

    /// <summary>The recovery records of a batch, next to its item writes.</summary>
    public void AddWrites(List<PendingWrite> batch, List<StoreWrite> writes)
    {
        if (scope.Table.Recovery is null) return;
        var logged = false;
        foreach (var write in batch)
        {
            if (!ChangeRecords.Changes(write.Existing, write.Item)) continue;
            var time = _times.Next(clock.UnixMicroseconds);
            writes.Add(new StoreWrite(RecordKind.Recovery, KeyOf(write.Key.Bytes, time), write.Existing is null ? Absent : ItemCodec.Encode(write.Existing)));
            logged = true;
        }
        if (logged) writes.Add(_times.Record());
    }

    /// <summary>A record's key: the item's store key, then the commit time, so an item's changes are one range in time order.</summary>
    public static byte[] KeyOf(byte[] itemKey, long micros)
    {
        var key = new byte[itemKey.Length + 8];
        itemKey.CopyTo(key, 0);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(itemKey.Length), micros);
        return key;
    }

    public static long TimeOf(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[^8..]);

    public static ReadOnlySpan<byte> ItemKeyOf(ReadOnlySpan<byte> key) => key[..^8];

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the partition's records older than the recovery period (all of them
    /// once recovery is off), walking the range a page per call and starting over at its end.
    /// </summary>
    public async Task<List<StoreWrite>> TrimAsync(int limit)
    {
        var horizon = scope.Table.Recovery is { } recovery ? clock.UnixMicroseconds - TimeSpan.FromDays(recovery.RecoveryPeriodInDays).Ticks / 10 : long.MaxValue;
        var from = _trimFrom is { } position && scope.Owns(StoreKeys.HashOf(position)) ? position : scope.RangeStartKey;
        var page = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Recovery, from, scope.RangeEndKey, forward: true, limit);
        _trimFrom = page.Count < limit ? null : OrleansDynamo.Keys.OrderedKeyEncoding.Successor(page[^1].Key);
        return page.Where(r => TimeOf(r.Key) < horizon).Select(r => new StoreWrite(RecordKind.Recovery, r.Key, null)).ToList();
    }
}
