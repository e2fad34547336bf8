using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Position of an item in a partition: partition-key hash, partition key, sort key; the order Scan walks.
/// <see cref="Bound"/> makes sentinels for range seeks: with a null component, -1 sorts before and +1
/// after every real key that shares the components before it.
/// </summary>
internal readonly record struct ItemKey(ulong Hash, AttributeValue? HashKey, AttributeValue? RangeKey, int Bound = 0)
{
    public static ItemKey Of(Item item, TableSchema schema)
    {
        var hashKey = item[schema.HashKey.Name];
        return new ItemKey(KeyBytes.PartitionHash(hashKey), hashKey, schema.RangeKey is null ? null : item[schema.RangeKey.Name]);
    }

    public static ItemKey BeforeHash(ulong hash) => new(hash, null, null, -1);
    public static ItemKey AfterHash(ulong hash) => new(hash, null, null, 1);
    public ItemKey BeforeRange() => this with { RangeKey = null, Bound = -1 };
    public ItemKey AfterRange() => this with { RangeKey = null, Bound = 1 };
    public ItemKey WithRange(AttributeValue rangeKey) => this with { RangeKey = rangeKey, Bound = 0 };

    public byte[] StoreKey() => KeyBytes.StoreKey(HashKey!, RangeKey);
}

internal sealed class ItemKeyComparer : IComparer<ItemKey>
{
    public static readonly ItemKeyComparer Instance = new();

    public int Compare(ItemKey x, ItemKey y)
    {
        var byHash = x.Hash.CompareTo(y.Hash);
        if (byHash != 0) return byHash;
        if (x.HashKey is null || y.HashKey is null) return CompareSentinel(x.HashKey, x.Bound, y.HashKey, y.Bound);
        var byHashKey = KeyComparer.Instance.Compare(x.HashKey, y.HashKey);
        if (byHashKey != 0) return byHashKey;
        if (x.RangeKey is null || y.RangeKey is null) return CompareSentinel(x.RangeKey, x.Bound, y.RangeKey, y.Bound);
        return KeyComparer.Instance.Compare(x.RangeKey, y.RangeKey);
    }

    private static int CompareSentinel(AttributeValue? x, int xBound, AttributeValue? y, int yBound) =>
        (x, y) switch
        {
            (null, null) => xBound.CompareTo(yBound),
            (null, _) => xBound,
            _ => -yBound,
        };
}
