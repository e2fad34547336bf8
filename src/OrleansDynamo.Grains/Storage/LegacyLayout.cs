using System.Buffers.Binary;
using System.Text;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>
/// Converts data of the first storage layout (one key space per partition, items loaded whole into memory)
/// into spaces (see <see cref="StoreKeys"/>). Schema-free: the old item key holds the key values, which is
/// all a new key needs. Each converted space gets an even map over as many partitions as it had, statistics
/// computed from the items, and a marker per partition that makes the partition build its local index
/// entries once (global indexes are backfilled again by their table, which knows their schemas).
/// Old global index entries and undelivered outbox records are dropped: the backfill rebuilds them.
/// </summary>
public sealed class LegacyLayout
{
    /// <summary>The marker of a partition whose local index entries are still to be built from its items.</summary>
    public static byte[] RebuildMarker(int partitionId) => StoreKeys.Meta($"legacy-rebuild/{partitionId}");

    private sealed class Converted
    {
        public readonly HashSet<int> Partitions = [];
        public readonly Dictionary<int, long[]> Buckets = [];
    }

    private readonly Dictionary<StoreSpace, Converted> _spaces = [];

    public long Items { get; private set; }
    public int Spaces => _spaces.Count;

    /// <summary>
    /// The new record for one old record, or null when it is dropped (a global index entry, an outbox record).
    /// <paramref name="incarnation"/> is the old address's incarnation: global index partitions had <c>incarnation#index</c>.
    /// </summary>
    public (StoreSpace Space, StoreWrite Write)? Convert(string tableName, string incarnation, int partitionId, ReadOnlySpan<byte> oldKey, byte[] value)
    {
        if (incarnation.Contains('#') || IsOutboxKey(oldKey)) return null;
        var space = new StoreSpace(tableName, incarnation);
        if (!_spaces.TryGetValue(space, out var converted)) _spaces[space] = converted = new Converted();
        converted.Partitions.Add(partitionId);
        var (partitionKey, sortKey) = ParseKey(oldKey);
        var hash = KeyBytes.PartitionHash(partitionKey);
        var bucket = StoreKeys.BucketOf(hash);
        if (!converted.Buckets.TryGetValue(bucket, out var counters)) converted.Buckets[bucket] = counters = new long[2];
        counters[0]++;
        counters[1] += ItemCodec.Decode(value).SizeInBytes;
        Items++;
        return (space, new StoreWrite(RecordKind.Item, StoreKeys.Item(hash, partitionKey, sortKey), value));
    }

    /// <summary>The spaces seen, each with its new map and the records to write with it (statistics and markers).</summary>
    public IEnumerable<(StoreSpace Space, StoredMap Map, List<StoreWrite> Writes)> Finish()
    {
        foreach (var (space, converted) in _spaces)
        {
            var map = StoreCodec.Initial(PartitionMap.Even(Math.Max(1, converted.Partitions.Count)));
            var writes = converted.Buckets.Select(b => new StoreWrite(RecordKind.Stats, StoreKeys.Stats(b.Key), StoreCodec.EncodeCounters(b.Value))).ToList();
            writes.AddRange(map.Map.Ranges.Select(r => new StoreWrite(RecordKind.Meta, RebuildMarker(r.PartitionId), [1])));
            yield return (space, map, writes);
        }
    }

    /// <summary>Outbox records were kept under keys starting with four 0xFF bytes, which no item key had.</summary>
    private static bool IsOutboxKey(ReadOnlySpan<byte> key) => key.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(key) == 0xFFFFFFFF;

    /// <summary>The old item key: the partition key's length (4 bytes), the partition key, the sort key; each a type tag and its canonical bytes.</summary>
    public static (AttributeValue PartitionKey, AttributeValue? SortKey) ParseKey(ReadOnlySpan<byte> key)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(key);
        var partitionKey = ParseValue(key.Slice(4, length));
        var rest = key[(4 + length)..];
        return (partitionKey, rest.IsEmpty ? null : ParseValue(rest));
    }

    private static AttributeValue ParseValue(ReadOnlySpan<byte> bytes) => (AttributeType)bytes[0] switch
    {
        AttributeType.S => AttributeValue.FromS(Encoding.UTF8.GetString(bytes[1..])),
        AttributeType.N => AttributeValue.FromN(Encoding.ASCII.GetString(bytes[1..])),
        AttributeType.B => AttributeValue.FromB(bytes[1..].ToArray()),
        var type => throw new InvalidDataException($"An old item key holds a {type} value"),
    };
}
