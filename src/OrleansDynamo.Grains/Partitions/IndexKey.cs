using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Position of an entry in a secondary index: the index partition key's hash, then key values in order
/// (index partition key, index sort key, then the table's key, which makes entries unique). A key with
/// fewer parts than the entries is a seek sentinel: <see cref="Bound"/> -1 sorts it before, +1 after every
/// entry that starts with its parts.
/// </summary>
internal readonly record struct IndexKey(ulong Hash, AttributeValue[] Parts, int Bound = 0)
{
    public static IndexKey Before(ulong hash, params AttributeValue[] parts) => new(hash, parts, -1);
    public static IndexKey After(ulong hash, params AttributeValue[] parts) => new(hash, parts, 1);

    /// <summary>The key of an item in an index (null when the item lacks an index key: sparse index).</summary>
    public static IndexKey? Of(IndexInfo index, TableSchema table, Item item)
    {
        if (!item.TryGetValue(index.KeySchema.HashKey.Name, out var hashKey)) return null;
        var parts = new List<AttributeValue>(4) { hashKey };
        if (index.KeySchema.RangeKey is { } range)
        {
            if (!item.TryGetValue(range.Name, out var rangeKey)) return null;
            parts.Add(rangeKey);
        }
        foreach (var key in table.KeyAttributes)
            if (!index.KeySchema.KeyAttributeNames.Contains(key.Name) || index.IsGlobal) parts.Add(item[key.Name]);
        return new IndexKey(KeyBytes.PartitionHash(hashKey), parts.ToArray());
    }
}

internal sealed class IndexKeyComparer : IComparer<IndexKey>
{
    public static readonly IndexKeyComparer Instance = new();

    public int Compare(IndexKey x, IndexKey y)
    {
        var byHash = x.Hash.CompareTo(y.Hash);
        if (byHash != 0) return byHash;
        var common = Math.Min(x.Parts.Length, y.Parts.Length);
        for (var i = 0; i < common; i++)
        {
            var byPart = KeyComparer.Instance.Compare(x.Parts[i], y.Parts[i]);
            if (byPart != 0) return byPart;
        }
        if (x.Parts.Length == y.Parts.Length) return x.Bound.CompareTo(y.Bound);
        return x.Parts.Length < y.Parts.Length ? x.Bound : -y.Bound;
    }
}

/// <summary>
/// Entries of one secondary index, ordered by <see cref="IndexKey"/> and found by the table key of their
/// item: an item has at most one entry per index.
/// </summary>
internal sealed class OrderedIndex<T>
{
    internal sealed class Entry(IndexKey key, ItemKey itemKey, T value, int size)
    {
        public IndexKey Key { get; } = key;
        public ItemKey ItemKey { get; } = itemKey;
        public T Value { get; } = value;
        public int Size { get; } = size;
    }

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();
        public int Compare(Entry? x, Entry? y) => IndexKeyComparer.Instance.Compare(x!.Key, y!.Key);
    }

    private readonly SortedSet<Entry> _order = new(EntryComparer.Instance);
    private readonly Dictionary<ItemKey, Entry> _byItem = [];

    public int Count => _byItem.Count;
    public long SizeBytes { get; private set; }

    public Entry? Get(ItemKey item) => _byItem.GetValueOrDefault(item);

    public void Put(ItemKey item, IndexKey key, T value, int size)
    {
        Remove(item);
        var entry = new Entry(key, item, value, size);
        _order.Add(entry);
        _byItem[item] = entry;
        SizeBytes += size;
    }

    public void Remove(ItemKey item)
    {
        if (!_byItem.Remove(item, out var old)) return;
        _order.Remove(old);
        SizeBytes -= old.Size;
    }

    public IEnumerable<Entry> All => _order;

    /// <summary>Entries with keys in [from, to], in order or reversed.</summary>
    public IEnumerable<Entry> Range(IndexKey from, IndexKey to, bool forward = true)
    {
        if (IndexKeyComparer.Instance.Compare(from, to) > 0) yield break;
        var view = _order.GetViewBetween(new Entry(from, default, default!, 0), new Entry(to, default, default!, 0));
        foreach (var entry in forward ? view : view.Reverse()) yield return entry;
    }
}
