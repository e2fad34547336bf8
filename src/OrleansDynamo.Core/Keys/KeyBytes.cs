using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using OrleansDynamo.Model;

namespace OrleansDynamo.Keys;

/// <summary>Canonical bytes of key values: the input of the partition hash and of store keys.</summary>
public static class KeyBytes
{
    /// <summary>Type tag followed by the canonical value: UTF-8 for S, normalised text for N, raw bytes for B.</summary>
    public static byte[] Of(AttributeValue value)
    {
        var body = value.Type switch
        {
            AttributeType.S => Encoding.UTF8.GetBytes(value.S),
            AttributeType.N => Encoding.ASCII.GetBytes(value.N.ToString()),
            AttributeType.B => value.B.ToArray(),
            _ => throw new ArgumentException($"{value.Type} is not a key type", nameof(value)),
        };
        var bytes = new byte[body.Length + 1];
        bytes[0] = (byte)value.Type;
        body.CopyTo(bytes, 1);
        return bytes;
    }

    /// <summary>The stable 64-bit hash of a partition key value, which places it on the partition map.</summary>
    public static ulong PartitionHash(AttributeValue partitionKey) => XxHash64.HashToUInt64(Of(partitionKey));

    /// <summary>The store key of an item: its partition key, then its sort key, each length-prefixed.</summary>
    public static byte[] StoreKey(AttributeValue partitionKey, AttributeValue? sortKey)
    {
        var hash = Of(partitionKey);
        var range = sortKey is null ? [] : Of(sortKey);
        var key = new byte[4 + hash.Length + range.Length];
        BinaryPrimitives.WriteInt32BigEndian(key, hash.Length);
        hash.CopyTo(key, 4);
        range.CopyTo(key, 4 + hash.Length);
        return key;
    }
}
