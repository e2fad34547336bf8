using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>
/// The keys of records in a space. Everything located in a partition starts with the 8-byte big-endian
/// partition-key hash, so a partition's records of each kind are one contiguous range and a split moves
/// nothing. Key values use <see cref="OrderedKeyEncoding"/>, so byte order is DynamoDB's key order.
/// </summary>
public static class StoreKeys
{
    /// <summary>Hash buckets for statistics: the top 16 bits of the hash. Partition ranges and split points are whole buckets.</summary>
    public const int BucketBits = 16;
    public const int BucketShift = 64 - BucketBits;

    public static int BucketOf(ulong hash) => (int)(hash >> BucketShift);
    public static ulong BucketStart(int bucket) => (ulong)bucket << BucketShift;

    /// <summary>An item: hash, partition key, sort key.</summary>
    public static byte[] Item(ulong hash, AttributeValue partitionKey, AttributeValue? sortKey)
    {
        var writer = new ArrayBufferWriter<byte>(48);
        WriteHash(writer, hash);
        OrderedKeyEncoding.Append(writer, partitionKey);
        if (sortKey is not null) OrderedKeyEncoding.Append(writer, sortKey);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The first key of everything at <paramref name="hash"/>.</summary>
    public static byte[] HashStart(ulong hash)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, hash);
        return key;
    }

    /// <summary>The hash a key of an item (or of a record keyed like one) starts with.</summary>
    public static ulong HashOf(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt64BigEndian(key);

    /// <summary>The first key after everything at <paramref name="hash"/> (null: the end of the namespace).</summary>
    public static byte[]? HashEnd(ulong hash) => hash == ulong.MaxValue ? null : HashStart(hash + 1);

    /// <summary>The start of an item collection (all items with this partition key): hash and partition key.</summary>
    public static byte[] Collection(ulong hash, AttributeValue partitionKey) => Item(hash, partitionKey, null);

    /// <summary>An entry of a local index: the index id, then hash, partition key, index sort key, table sort key.</summary>
    public static byte[] LocalIndexEntry(string indexId, ulong hash, IReadOnlyList<AttributeValue> parts)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteIndexId(writer, indexId);
        WriteHash(writer, hash);
        foreach (var part in parts) OrderedKeyEncoding.Append(writer, part);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The prefix of a local index's entries, for range reads: the index, then optional hash and key values.</summary>
    public static byte[] LocalIndexPrefix(string indexId, ulong? hash = null, params AttributeValue[] values)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteIndexId(writer, indexId);
        if (hash is { } h) WriteHash(writer, h);
        foreach (var value in values) OrderedKeyEncoding.Append(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>An entry of a global index: index hash, index keys, then the table keys that make it unique.</summary>
    public static byte[] IndexEntry(ulong indexHash, IReadOnlyList<AttributeValue> parts)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteHash(writer, indexHash);
        foreach (var part in parts) OrderedKeyEncoding.Append(writer, part);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Where an item's entry in a global index partition is found: index hash, then the table keys.</summary>
    public static byte[] IndexReference(ulong indexHash, AttributeValue partitionKey, AttributeValue? sortKey) => Item(indexHash, partitionKey, sortKey);

    /// <summary>A statistics bucket.</summary>
    public static byte[] Stats(int bucket)
    {
        var key = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(key, (ushort)bucket);
        return key;
    }

    public static int BucketOfStatsKey(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt16BigEndian(key);

    /// <summary>A stream shard (<see cref="RecordKind.StreamShard"/>), or with a sequence number one of its records (<see cref="RecordKind.StreamRecord"/>).</summary>
    public static byte[] Shard(long shard, long? sequence = null)
    {
        var key = new byte[sequence is null ? 8 : 16];
        BinaryPrimitives.WriteInt64BigEndian(key, shard);
        if (sequence is { } s) BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8), s);
        return key;
    }

    public static long ShardOf(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key);
    public static long SequenceOf(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[8..]);

    /// <summary>A time-to-live entry: generation, expiry (epoch seconds), then the item's key; or without the item key, the start of that second.</summary>
    public static byte[] Expiry(int generation, long expiresAt, byte[]? itemKey = null)
    {
        var key = new byte[12 + (itemKey?.Length ?? 0)];
        BinaryPrimitives.WriteInt32BigEndian(key, generation);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(4), expiresAt);
        itemKey?.CopyTo(key, 12);
        return key;
    }

    public static (int Generation, long ExpiresAt) ExpiryOf(ReadOnlySpan<byte> key) =>
        (BinaryPrimitives.ReadInt32BigEndian(key), BinaryPrimitives.ReadInt64BigEndian(key[4..]));

    /// <summary>The key of a bookkeeping record.</summary>
    public static byte[] Meta(string name) => Encoding.UTF8.GetBytes(name);

    private static void WriteHash(ArrayBufferWriter<byte> writer, ulong hash)
    {
        BinaryPrimitives.WriteUInt64BigEndian(writer.GetSpan(8), hash);
        writer.Advance(8);
    }

    private static void WriteIndexId(ArrayBufferWriter<byte> writer, string indexId)
    {
        var bytes = Encoding.UTF8.GetBytes(indexId);
        writer.GetSpan(1)[0] = (byte)bytes.Length;
        writer.Advance(1);
        writer.Write(bytes);
    }
}

/// <summary>Binary forms of the store's own records: partition maps and statistics vectors.</summary>
public static class StoreCodec
{
    public static byte[] EncodeMap(StoredMap stored)
    {
        var ranges = stored.Map.Ranges;
        var bytes = new byte[16 + ranges.Count * 20];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, stored.Map.Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), stored.NextPartitionId);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            var at = bytes.AsSpan(16 + i * 20);
            BinaryPrimitives.WriteInt32LittleEndian(at, ranges[i].PartitionId);
            BinaryPrimitives.WriteUInt64LittleEndian(at[4..], ranges[i].Start);
            BinaryPrimitives.WriteUInt64LittleEndian(at[12..], ranges[i].End);
        }
        return bytes;
    }

    public static StoredMap DecodeMap(ReadOnlySpan<byte> bytes)
    {
        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var next = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var ranges = new PartitionRange[count];
        for (var i = 0; i < count; i++)
        {
            var at = bytes[(16 + i * 20)..];
            ranges[i] = new PartitionRange(BinaryPrimitives.ReadInt32LittleEndian(at),
                BinaryPrimitives.ReadUInt64LittleEndian(at[4..]), BinaryPrimitives.ReadUInt64LittleEndian(at[12..]));
        }
        return new StoredMap(new PartitionMap(version, ranges), next);
    }

    /// <summary>The map after splitting <paramref name="parentId"/>: what every store's SplitAsync writes.</summary>
    public static StoredMap Split(StoredMap stored, int parentId, ulong splitAt) =>
        new(stored.Map.Split(parentId, splitAt, stored.NextPartitionId), stored.NextPartitionId + 1);

    public static StoredMap Initial(PartitionMap map) => new(map, map.Ranges.Max(r => r.PartitionId) + 1);

    public static byte[] EncodeCounters(ReadOnlySpan<long> counters)
    {
        var bytes = new byte[counters.Length * 8];
        for (var i = 0; i < counters.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), counters[i]);
        return bytes;
    }

    public static long[] DecodeCounters(ReadOnlySpan<byte> bytes)
    {
        var counters = new long[bytes.Length / 8];
        for (var i = 0; i < counters.Length; i++) counters[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
        return counters;
    }
}
