using System.Globalization;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// The time-to-live index of a partition: one entry per item whose TTL attribute is a Number, by expiry
/// second (<see cref="RecordKind.Expiry"/>), kept in the same commit as the item. The table's sweep reads the
/// entries due and hands them to the owning partitions, so expired items are found without a scan. When TTL
/// is enabled on a table that has items, each partition first adds the entries of the items it holds
/// (<see cref="BackfillAsync"/>, resumable: its position is a <see cref="RecordKind.Meta"/> record).
/// </summary>
internal sealed class ExpiryIndex(PartitionScope scope, OrleansDynamoClock clock)
{
    private const int BackfillChunk = 1000;
    private static readonly byte[] Done = [];
    /// <summary>DynamoDB ignores expiry times more than five years in the past.</summary>
    private const long MaxAgeSeconds = 5L * 365 * 24 * 3600;
    private int _backfilling = -1;

    /// <summary>An item's expiry in epoch seconds: its TTL attribute when that is a Number; null otherwise.</summary>
    public static long? ExpiryOf(Item? item, string attributeName)
    {
        if (item is null || !item.TryGetValue(attributeName, out var value) || value.Type != AttributeType.N) return null;
        var text = value.N.ToString();
        var point = text.IndexOf('.');
        return long.TryParse(point < 0 ? text : text[..point], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? seconds
            : null;
    }

    /// <summary>Whether an expiry time has passed, and is recent enough for DynamoDB to act on.</summary>
    public static bool IsDue(long expiresAt, long now) => expiresAt <= now && expiresAt >= now - MaxAgeSeconds;

    /// <summary>The range of entries a sweep at <paramref name="now"/> reads: due, and not more than five years old.</summary>
    public static (byte[] From, byte[] To) DueRange(int generation, long now) =>
        (StoreKeys.Expiry(generation, Math.Max(0, now - MaxAgeSeconds)), StoreKeys.Expiry(generation, now + 1));

    /// <summary>The entry changes of one write, next to the item write.</summary>
    public void AddWrites(PendingWrite write, List<StoreWrite> writes)
    {
        if (scope.Table.TimeToLive is not { } ttl) return;
        var before = ExpiryOf(write.Existing, ttl.AttributeName);
        var after = ExpiryOf(write.Item, ttl.AttributeName);
        if (before == after) return;
        if (before is { } b) writes.Add(Deletion(ttl.Generation, b, write.Key));
        if (after is { } a) writes.Add(Entry(ttl.Generation, a, write.Key));
    }

    public StoreWrite Entry(int generation, long expiresAt, ItemKey key) =>
        new(RecordKind.Expiry, StoreKeys.Expiry(generation, expiresAt, key.Bytes), ItemCodec.Encode(key.Keys(scope.Schema)));

    public static StoreWrite Deletion(int generation, long expiresAt, ItemKey key) =>
        new(RecordKind.Expiry, StoreKeys.Expiry(generation, expiresAt, key.Bytes), null);

    public long Now => clock.UnixSeconds;

    /// <summary>
    /// Adds the entries of the items this partition holds for TTL generation of the table, chunk by chunk,
    /// unless done already. An item written meanwhile has its own entry from its write; an entry for a value
    /// that changed meanwhile is harmless, because the sweep checks each item again before it deletes it.
    /// </summary>
    public async Task BackfillAsync(Func<List<StoreWrite>, Task> commit, Func<bool> serving)
    {
        if (scope.Table.TimeToLive is not { } ttl || _backfilling == ttl.Generation) return;
        _backfilling = ttl.Generation;
        var positionKey = StoreKeys.Meta($"ttl-backfill/{ttl.Generation}/{scope.PartitionId}");
        var position = await scope.Store.GetAsync(scope.Space, RecordKind.Meta, positionKey);
        while (serving() && scope.Table.TimeToLive?.Generation == ttl.Generation && position is not { Length: 0 })
        {
            var from = position is null ? scope.RangeStartKey : [.. position, 0];
            var items = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Item, from, scope.RangeEndKey, forward: true, BackfillChunk);
            var writes = new List<StoreWrite>();
            foreach (var record in items)
            {
                var item = ItemCodec.Decode(record.Value);
                if (ExpiryOf(item, ttl.AttributeName) is { } at) writes.Add(Entry(ttl.Generation, at, ItemKey.Of(item, scope.Schema)));
            }
            position = items.Count < BackfillChunk ? Done : items[^1].Key;
            writes.Add(new StoreWrite(RecordKind.Meta, positionKey, position));
            await commit(writes);
        }
    }
}
