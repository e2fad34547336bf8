using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OrleansDynamo.Model;

namespace OrleansDynamo.Keys;

/// <summary>
/// Encodes key values so that comparing the bytes (unsigned, lexicographic) orders them as DynamoDB
/// orders keys: S by UTF-8 bytes, N numerically, B by unsigned bytes. Every encoding is self-delimiting,
/// so encoded values can be concatenated (partition key, then sort key) and still compare component by
/// component. Store keys of items and index entries are built from these; range reads depend on it.
/// </summary>
/// <remarks>
/// Layout: the type tag, then the body.
/// S and B: the bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01 (so a value sorts before its extensions).
/// N: 0x01 negative, 0x02 zero, 0x03 positive; then for non-zero the adjusted exponent (biased, 2 bytes) and
/// the ASCII digits ended by 0x00; for negatives the exponent and digits are complemented and ended by 0xFF.
/// </remarks>
public static class OrderedKeyEncoding
{
    private const byte Escape = 0x00;
    private const byte EscapedZero = 0xFF;
    private const byte Terminator = 0x01;
    private const int ExponentBias = 0x8000;

    public static void Append(IBufferWriter<byte> writer, AttributeValue value)
    {
        Put(writer, (byte)value.Type);
        switch (value.Type)
        {
            case AttributeType.S:
                var length = Encoding.UTF8.GetByteCount(value.S);
                var rented = ArrayPool<byte>.Shared.Rent(length);
                Encoding.UTF8.GetBytes(value.S, rented);
                AppendEscaped(writer, rented.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(rented);
                break;
            case AttributeType.B:
                AppendEscaped(writer, value.B.Span);
                break;
            case AttributeType.N:
                AppendNumber(writer, value.N);
                break;
            default:
                throw new ArgumentException($"{value.Type} is not a key type", nameof(value));
        }
    }

    /// <summary>The encoding of an S or B prefix without its terminator: every value that begins with it starts with these bytes.</summary>
    public static void AppendPrefix(IBufferWriter<byte> writer, AttributeValue prefix)
    {
        Put(writer, (byte)prefix.Type);
        if (prefix.Type == AttributeType.S) AppendEscapedBody(writer, Encoding.UTF8.GetBytes(prefix.S));
        else if (prefix.Type == AttributeType.B) AppendEscapedBody(writer, prefix.B.Span);
        else throw new ArgumentException("Only S and B values have prefixes", nameof(prefix));
    }

    public static byte[] Encode(AttributeValue value)
    {
        var writer = new ArrayBufferWriter<byte>(32);
        Append(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    private static void AppendEscaped(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        AppendEscapedBody(writer, bytes);
        Put(writer, Escape);
        Put(writer, Terminator);
    }

    private static void AppendEscapedBody(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(bytes.Length * 2);
        var n = 0;
        foreach (var b in bytes)
        {
            span[n++] = b;
            if (b == Escape) span[n++] = EscapedZero;
        }
        writer.Advance(n);
    }

    private static void AppendNumber(IBufferWriter<byte> writer, DynamoNumber number)
    {
        if (number.IsZero)
        {
            Put(writer, 0x02);
            return;
        }
        var negative = number.IsNegative;
        var digits = number.Digits;
        var span = writer.GetSpan(4 + digits.Length);
        span[0] = negative ? (byte)0x01 : (byte)0x03;
        var exponent = (ushort)(number.AdjustedExponent + ExponentBias);
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], negative ? (ushort)~exponent : exponent);
        for (var i = 0; i < digits.Length; i++) span[3 + i] = negative ? (byte)~(byte)digits[i] : (byte)digits[i];
        span[3 + digits.Length] = negative ? (byte)0xFF : (byte)0x00;
        writer.Advance(4 + digits.Length);
    }

    private static void Put(IBufferWriter<byte> writer, byte b)
    {
        writer.GetSpan(1)[0] = b;
        writer.Advance(1);
    }

    /// <summary>The smallest byte string greater than every string that starts with <paramref name="prefix"/>; null when there is none.</summary>
    public static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xFF) continue;
            var end = prefix[..(i + 1)].ToArray();
            end[i]++;
            return end;
        }
        return null;
    }

    /// <summary>The smallest byte string greater than <paramref name="key"/>: the key followed by 0x00.</summary>
    public static byte[] Successor(ReadOnlySpan<byte> key)
    {
        var next = new byte[key.Length + 1];
        key.CopyTo(next);
        return next;
    }
}
