using System.Buffers;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>
/// The compact binary form of an item in the durable stores: a version byte, then per attribute its
/// name and a type-tagged value. Numbers are stored as their normalised text; lengths as varints.
/// </summary>
public static class ItemCodec
{
    private const byte FormatVersion = 1;

    public static byte[] Encode(Item item)
    {
        // Sized for the whole item, so that the buffer does not grow while it is written.
        var writer = new ArrayBufferWriter<byte>(item.SizeInBytes + 8 * item.Count + 16);
        writer.GetSpan(1)[0] = FormatVersion;
        writer.Advance(1);
        WriteVarint(writer, (uint)item.Count);
        foreach (var (name, value) in item)
        {
            WriteString(writer, name);
            WriteValue(writer, value);
        }
        return writer.WrittenSpan.ToArray();
    }

    public static Item Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != FormatVersion) throw new InvalidDataException("Unknown item encoding");
        var reader = new Reader(bytes[1..]);
        var count = (int)reader.ReadVarint();
        var attributes = new KeyValuePair<string, AttributeValue>[count];
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            attributes[i] = KeyValuePair.Create(name, reader.ReadValue());
        }
        return new Item(attributes);
    }

    private static void WriteValue(ArrayBufferWriter<byte> writer, AttributeValue value)
    {
        writer.GetSpan(1)[0] = (byte)value.Type;
        writer.Advance(1);
        switch (value.Type)
        {
            case AttributeType.S: WriteString(writer, value.S); break;
            case AttributeType.N: WriteString(writer, value.N.ToString()); break;
            case AttributeType.B: WriteBytes(writer, value.B.Span); break;
            case AttributeType.SS: WriteVarint(writer, (uint)value.Count); foreach (var s in value.SS) WriteString(writer, s); break;
            case AttributeType.NS: WriteVarint(writer, (uint)value.Count); foreach (var n in value.NS) WriteString(writer, n.ToString()); break;
            case AttributeType.BS: WriteVarint(writer, (uint)value.Count); foreach (var b in value.BS) WriteBytes(writer, b); break;
            case AttributeType.M:
                WriteVarint(writer, (uint)value.Count);
                foreach (var (name, nested) in value.M) { WriteString(writer, name); WriteValue(writer, nested); }
                break;
            case AttributeType.L: WriteVarint(writer, (uint)value.Count); foreach (var nested in value.L) WriteValue(writer, nested); break;
            case AttributeType.BOOL: writer.GetSpan(1)[0] = value.BOOL ? (byte)1 : (byte)0; writer.Advance(1); break;
            case AttributeType.NULL: break;
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string text)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        WriteVarint(writer, (uint)length);
        System.Text.Encoding.UTF8.GetBytes(text, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        WriteVarint(writer, (uint)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, uint value)
    {
        var span = writer.GetSpan(5);
        var i = 0;
        while (value >= 0x80) { span[i++] = (byte)(value | 0x80); value >>= 7; }
        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public uint ReadVarint()
        {
            uint value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _rest[0];
                _rest = _rest[1..];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            var taken = _rest[..length];
            _rest = _rest[length..];
            return taken;
        }

        public string ReadString() => System.Text.Encoding.UTF8.GetString(Take((int)ReadVarint()));
        private byte[] ReadBytes() => Take((int)ReadVarint()).ToArray();
        private DynamoNumber ReadNumber() => DynamoNumber.Parse(ReadString());

        public AttributeValue ReadValue()
        {
            var type = (AttributeType)Take(1)[0];
            switch (type)
            {
                case AttributeType.S: return AttributeValue.FromS(ReadString());
                case AttributeType.N: return AttributeValue.FromN(ReadNumber());
                case AttributeType.B: return AttributeValue.FromB(ReadBytes());
                case AttributeType.SS: { var a = new string[ReadVarint()]; for (var i = 0; i < a.Length; i++) a[i] = ReadString(); return AttributeValue.FromSS(a); }
                case AttributeType.NS: { var a = new DynamoNumber[ReadVarint()]; for (var i = 0; i < a.Length; i++) a[i] = ReadNumber(); return AttributeValue.FromNS(a); }
                case AttributeType.BS: { var a = new byte[ReadVarint()][]; for (var i = 0; i < a.Length; i++) a[i] = ReadBytes(); return AttributeValue.FromBS(a); }
                case AttributeType.M:
                {
                    var m = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
                    for (var n = ReadVarint(); n > 0; n--) { var name = ReadString(); m[name] = ReadValue(); }
                    return AttributeValue.FromM(m);
                }
                case AttributeType.L: { var a = new AttributeValue[ReadVarint()]; for (var i = 0; i < a.Length; i++) a[i] = ReadValue(); return AttributeValue.FromL(a); }
                case AttributeType.BOOL: return AttributeValue.FromBool(Take(1)[0] != 0);
                case AttributeType.NULL: return AttributeValue.Null;
                default: throw new InvalidDataException($"Unknown attribute type {type}");
            }
        }
    }
}
