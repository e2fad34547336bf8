using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

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
        var parts = new List<AttributeValue>(4);
        foreach (var key in index.KeyAttributes)
        {
            if (!item.TryGetValue(key.Name, out var value)) return null;
            parts.Add(value);
        }
        foreach (var key in table.KeyAttributes)
            if (index.IsGlobal || !index.KeyAttributeNames.Contains(key.Name)) parts.Add(item[key.Name]);
        return new IndexKey(KeyBytes.PartitionHash(IndexRules.HashValueOf(index, item)), parts.ToArray());
    }

    /// <summary>The entry's store key: in a global index's space, or under the index id in the table's space.</summary>
    public byte[] StoreKey(IndexInfo index) =>
        index.IsGlobal ? StoreKeys.IndexEntry(Hash, Parts) : StoreKeys.LocalIndexEntry(index.IndexId, Hash, Parts);
}
