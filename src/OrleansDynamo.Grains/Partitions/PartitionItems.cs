using OrleansDynamo.Model;

namespace OrleansDynamo.Partitions;

/// <summary>A partition's items in memory: a hash map for point reads and a sorted set for ordered reads.</summary>
internal sealed class PartitionItems
{
    private readonly Dictionary<ItemKey, Item> _items = [];
    private readonly SortedSet<ItemKey> _order = new(ItemKeyComparer.Instance);

    public int Count => _items.Count;
    public long SizeBytes { get; private set; }

    public Item? Get(ItemKey key) => _items.GetValueOrDefault(key);

    public void Put(ItemKey key, Item item)
    {
        if (_items.TryGetValue(key, out var old)) SizeBytes -= old.SizeInBytes;
        else _order.Add(key);
        _items[key] = item;
        SizeBytes += item.SizeInBytes;
    }

    public void Remove(ItemKey key)
    {
        if (!_items.Remove(key, out var old)) return;
        _order.Remove(key);
        SizeBytes -= old.SizeInBytes;
    }

    /// <summary>Items with keys in [from, to] in key order (or reversed), each with its key.</summary>
    public IEnumerable<(ItemKey Key, Item Item)> Range(ItemKey from, ItemKey to, bool forward = true)
    {
        if (ItemKeyComparer.Instance.Compare(from, to) > 0) yield break;
        var view = _order.GetViewBetween(from, to);
        foreach (var key in forward ? view : view.Reverse())
            yield return (key, _items[key]);
    }
}
