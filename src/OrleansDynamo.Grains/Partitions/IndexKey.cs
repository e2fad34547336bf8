using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Position of an entry in a secondary index: the index partition key's hash, then key values in order
/// (index partition key, index sort key, then the table's keys that make entries unique). Its store key is
/// the hash and the ordered encodings of the parts, after the index id for a local index.
/// </summary>
internal readonly record struct IndexKey(ulong Hash, AttributeValue[] Parts)
{
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

    /// <summary>The entry's store key: in a global index's space, or under the index id in the table's space.</summary>
    public byte[] StoreKey(IndexInfo index) =>
        index.IsGlobal ? StoreKeys.IndexEntry(Hash, Parts) : StoreKeys.LocalIndexEntry(index.IndexId, Hash, Parts);
}
