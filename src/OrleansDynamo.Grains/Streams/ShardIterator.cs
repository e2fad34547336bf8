using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Streams;

/// <summary>
/// A shard iterator: where a reader stands in a shard (the next sequence number to read) and when the
/// iterator was handed out, with a checksum, as an opaque base64 string. Anything else is "Invalid ShardIterator".
/// </summary>
internal sealed record ShardIterator(string TableName, string Incarnation, string Label, long Shard, long Position, long IssuedMicros)
{
    public override string ToString()
    {
        var text = string.Join('\n', TableName, Incarnation, Label, Shard.ToString(CultureInfo.InvariantCulture),
            Position.ToString(CultureInfo.InvariantCulture), IssuedMicros.ToString(CultureInfo.InvariantCulture));
        var bytes = Encoding.UTF8.GetBytes(text);
        var all = new byte[bytes.Length + 4];
        bytes.CopyTo(all, 0);
        BinaryPrimitives.WriteUInt32BigEndian(all.AsSpan(bytes.Length), XxHash32.HashToUInt32(bytes));
        return Convert.ToBase64String(all);
    }

    public static ShardIterator Parse(string iterator)
    {
        var all = new byte[iterator.Length];
        if (!Convert.TryFromBase64String(iterator, all, out var length) || length < 5) throw DynamoErrors.InvalidShardIterator();
        var bytes = all.AsSpan(0, length - 4);
        if (BinaryPrimitives.ReadUInt32BigEndian(all.AsSpan(length - 4)) != XxHash32.HashToUInt32(bytes)) throw DynamoErrors.InvalidShardIterator();
        var parts = Encoding.UTF8.GetString(bytes).Split('\n');
        if (parts.Length != 6
            || !long.TryParse(parts[3], CultureInfo.InvariantCulture, out var shard)
            || !long.TryParse(parts[4], CultureInfo.InvariantCulture, out var position)
            || !long.TryParse(parts[5], CultureInfo.InvariantCulture, out var issued))
            throw DynamoErrors.InvalidShardIterator();
        return new ShardIterator(parts[0], parts[1], parts[2], shard, position, issued);
    }
}
