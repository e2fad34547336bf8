using System.Runtime.CompilerServices;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Partitions;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Backups;

/// <summary>
/// The items of a table space as of an instant, read from a store snapshot in key order, a page at a time, as
/// stored records (key, encoded item). Without an instant it is the snapshot's own. With one (point-in-time
/// recovery) each item changed after it is put back to the image its first change after it replaced, read from
/// the recovery log (<see cref="RecoveryLog"/>) of the same snapshot: present and past agree by construction.
/// </summary>
internal sealed class TableImage(IStoreSnapshot snapshot, StoreSpace space, long? asOfMicros)
{
    /// <summary>Recovery records read per store call while a page's changes are gathered.</summary>
    private const int LogPage = 4096;

    public async IAsyncEnumerable<List<StoreRecord>> ReadAsync(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        byte[] from = [];
        while (true)
        {
            var items = await snapshot.ReadRangeAsync(space, RecordKind.Item, from, null, pageSize, cancellationToken);
            var last = items.Count == pageSize;
            // No item key is a prefix of another (the key encoding is self-delimiting), so the next page starts
            // after everything keyed by this page's last item, its recovery records too.
            byte[]? to = last ? OrderedKeyEncoding.PrefixEnd(items[^1].Key) : null;
            var page = asOfMicros is { } asOf ? await RollBackAsync(items, from, to, asOf, cancellationToken) : items.ToList();
            if (page.Count > 0) yield return page;
            if (!last || to is null) yield break;
            from = to;
        }
    }

    /// <summary>A page of present items, each changed one replaced by its image at the instant, plus those deleted since.</summary>
    private async Task<List<StoreRecord>> RollBackAsync(IReadOnlyList<StoreRecord> items, byte[] from, byte[]? to, long asOf, CancellationToken cancellationToken)
    {
        var past = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        var position = from;
        while (true)
        {
            var changes = await snapshot.ReadRangeAsync(space, RecordKind.Recovery, position, to, LogPage, cancellationToken);
            foreach (var change in changes)
            {
                // An item's records are in time order: the first one after the instant holds the image at it.
                if (RecoveryLog.TimeOf(change.Key) <= asOf) continue;
                past.TryAdd(RecoveryLog.ItemKeyOf(change.Key).ToArray(), change.Value);
            }
            if (changes.Count < LogPage) break;
            position = OrderedKeyEncoding.Successor(changes[^1].Key);
        }
        if (past.Count == 0) return items.ToList();
        var page = new List<StoreRecord>(items.Count + past.Count);
        foreach (var item in items)
            if (!past.ContainsKey(item.Key)) page.Add(item);
        foreach (var (key, image) in past)
            if (image.Length > 0) page.Add(new StoreRecord(key, image));
        page.Sort((a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return page;
    }
}
