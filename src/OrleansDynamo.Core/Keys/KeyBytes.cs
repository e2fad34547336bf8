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

    /// <summary>
    /// The one value that stands for a multi-attribute partition key (a global index's), for hashing and comparing:
    /// a binary of the parts' <see cref="Of"/> bytes, each after its length.
    /// </summary>
    public static AttributeValue Composite(IReadOnlyList<AttributeValue> parts)
    {
        var encoded = parts.Select(Of).ToList();
        var bytes = new byte[encoded.Sum(e => e.Length + 4)];
        var at = 0;
        foreach (var part in encoded)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), part.Length);
            part.CopyTo(bytes, at + 4);
            at += part.Length + 4;
        }
        return AttributeValue.FromB(bytes);
    }

    /// <summary>The stable 64-bit hash of a partition key value, which places it on the partition map.</summary>
    /// <remarks>Runs on every request, at the edge and in the partition: hashes <see cref="Of"/>'s bytes without allocating them.</remarks>
    public static ulong PartitionHash(AttributeValue partitionKey)
    {
        var length = 1 + partitionKey.Type switch
        {
            AttributeType.S => Encoding.UTF8.GetByteCount(partitionKey.S),
            AttributeType.B => partitionKey.B.Length,
            _ => -1,
        };
        if (length <= 0 || length > 4096) return XxHash64.HashToUInt64(Of(partitionKey));
        Span<byte> bytes = stackalloc byte[length];
        bytes[0] = (byte)partitionKey.Type;
        if (partitionKey.Type == AttributeType.S) Encoding.UTF8.GetBytes(partitionKey.S, bytes[1..]);
        else partitionKey.B.Span.CopyTo(bytes[1..]);
        return XxHash64.HashToUInt64(bytes);
    }

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
