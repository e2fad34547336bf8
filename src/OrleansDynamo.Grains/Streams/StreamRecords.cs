using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Streams;

/// <summary>
/// One stream shard as stored (<see cref="RecordKind.StreamShard"/>): the change records of one partition
/// while its range and the table's stream stay the same. The number is the partition id (high 32 bits) and
/// the partition's count of shards before it, so only the partition ever writes its shards.
/// </summary>
internal sealed record ShardInfo(
    long Number, string Label, string ViewType, long? Parent, ulong RangeStart, ulong RangeEnd,
    long CreatedMicros, long StartSequence, long? EndSequence, long TrimmedThrough)
{
    public bool IsOpen => EndSequence is null;
    public int PartitionId => (int)(Number >> 32);
    public string ShardId => StreamNames.ShardId(Number, CreatedMicros);

    public static long FirstOf(int partitionId) => (long)partitionId << 32;

    public StoreWrite Record() => new(RecordKind.StreamShard, StoreKeys.Shard(Number), Encode());

    private byte[] Encode()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)1);
        writer.Write(Label);
        writer.Write(ViewType);
        writer.Write(Parent ?? -1);
        writer.Write(RangeStart);
        writer.Write(RangeEnd);
        writer.Write(CreatedMicros);
        writer.Write(StartSequence);
        writer.Write(EndSequence ?? -1);
        writer.Write(TrimmedThrough);
        writer.Flush();
        return stream.ToArray();
    }

    public static ShardInfo Decode(StoreRecord record)
    {
        using var reader = new BinaryReader(new MemoryStream(record.Value));
        reader.ReadByte();
        var label = reader.ReadString();
        var viewType = reader.ReadString();
        var parent = reader.ReadInt64();
        var start = reader.ReadUInt64();
        var end = reader.ReadUInt64();
        var created = reader.ReadInt64();
        var first = reader.ReadInt64();
        var last = reader.ReadInt64();
        var trimmed = reader.ReadInt64();
        return new ShardInfo(StoreKeys.ShardOf(record.Key), label, viewType, parent < 0 ? null : parent, start, end, created, first,
            last < 0 ? null : last, trimmed);
    }
}

/// <summary>The stored form of a change record (<see cref="RecordKind.StreamRecord"/>) and its DynamoDB Streams shape.</summary>
internal static class ChangeRecords
{
    private const byte Insert = 1, Modify = 2, Remove = 3;

    /// <summary>Whether a write changes its item: a write that changes nothing has no record, as in DynamoDB.</summary>
    public static bool Changes(Item? existing, Item? item)
    {
        if (existing is null || item is null) return existing != item;
        if (existing.Count != item.Count) return true;
        foreach (var (name, value) in item)
            if (!existing.TryGetValue(name, out var old) || !old.Equals(value)) return true;
        return false;
    }

    /// <summary>The record of one change, holding what the view type asks for; the new image is taken as the write encoded it.</summary>
    public static byte[] Encode(Item keys, Item? existing, byte[]? encodedItem, string viewType, bool byTimeToLive)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(existing is null ? Insert : encodedItem is null ? Remove : Modify);
        writer.Write(byTimeToLive);
        writer.Write(viewType);
        WriteItem(writer, keys);
        WriteBytes(writer, StreamViewTypes.HasNewImage(viewType) ? encodedItem : null);
        WriteItem(writer, StreamViewTypes.HasOldImage(viewType) ? existing : null);
        writer.Flush();
        return stream.ToArray();
    }

    public static ChangeRecord Decode(long shard, long sequence, byte[] value, string region)
    {
        using var reader = new BinaryReader(new MemoryStream(value));
        var kind = reader.ReadByte();
        var byTimeToLive = reader.ReadBoolean();
        var viewType = reader.ReadString();
        var keys = ReadItem(reader)!;
        var newImage = ReadItem(reader);
        var oldImage = ReadItem(reader);
        return new ChangeRecord
        {
            EventId = StreamNames.EventId(shard, sequence),
            EventName = kind switch { Insert => "INSERT", Modify => "MODIFY", _ => "REMOVE" },
            AwsRegion = region,
            Dynamodb = new StreamRecordData
            {
                // Sequence numbers are microseconds of the clock (or just above, when writes come faster).
                ApproximateCreationDateTime = sequence / 1_000_000,
                Keys = keys,
                NewImage = newImage,
                OldImage = oldImage,
                SequenceNumber = StreamNames.SequenceNumber(sequence),
                SizeBytes = keys.SizeInBytes + (newImage?.SizeInBytes ?? 0) + (oldImage?.SizeInBytes ?? 0),
                StreamViewType = viewType,
            },
            UserIdentity = byTimeToLive ? StreamIdentity.TimeToLive : null,
        };
    }

    private static void WriteItem(BinaryWriter writer, Item? item) => WriteBytes(writer, item is null ? null : ItemCodec.Encode(item));

    private static void WriteBytes(BinaryWriter writer, byte[]? bytes)
    {
        writer.Write(bytes?.Length ?? -1);
        if (bytes is not null) writer.Write(bytes);
    }

    private static Item? ReadItem(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length < 0 ? null : ItemCodec.Decode(reader.ReadBytes(length));
    }
}
