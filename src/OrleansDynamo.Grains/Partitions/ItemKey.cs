using System.IO.Hashing;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// An item's key in a partition: partition-key hash, partition key, sort key, and its store key
/// (<see cref="StoreKeys.Item"/>), whose byte order is the order Query and Scan read in. Equal when the
/// store keys are equal.
/// </summary>
internal sealed class ItemKey : IEquatable<ItemKey>
{
    private readonly int _hashCode;

    private ItemKey(ulong hash, AttributeValue hashKey, AttributeValue? rangeKey)
    {
        Hash = hash;
        HashKey = hashKey;
        RangeKey = rangeKey;
        Bytes = StoreKeys.Item(hash, hashKey, rangeKey);
        _hashCode = (int)XxHash3.HashToUInt64(Bytes);
    }

    public ulong Hash { get; }
    public AttributeValue HashKey { get; }
    public AttributeValue? RangeKey { get; }
    public byte[] Bytes { get; }

    public static ItemKey Of(AttributeValue hashKey, AttributeValue? rangeKey) => new(KeyBytes.PartitionHash(hashKey), hashKey, rangeKey);

    public static ItemKey Of(Item item, TableSchema schema) =>
        Of(item[schema.HashKey.Name], schema.RangeKey is null ? null : item[schema.RangeKey.Name]);

    /// <summary>The key attributes as an item (what stream records carry as Keys).</summary>
    public Item Keys(TableSchema schema) => RangeKey is null
        ? new Item([new(schema.HashKey.Name, HashKey)])
        : new Item([new(schema.HashKey.Name, HashKey), new(schema.RangeKey!.Name, RangeKey)]);

    public bool Equals(ItemKey? other) => other is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);
    public override bool Equals(object? obj) => Equals(obj as ItemKey);
    public override int GetHashCode() => _hashCode;
}
