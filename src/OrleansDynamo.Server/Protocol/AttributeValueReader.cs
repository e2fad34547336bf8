using System.Text.Json;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// Reads one DynamoDB-JSON attribute value (<c>{"S":"x"}</c>, <c>{"M":{...}}</c>, ...). Wrong JSON types throw
/// SerializationException at once; values DynamoDB would reject (empty sets, bad numbers, two types) come
/// back as <c>invalid</c>, with a placeholder value, so that the caller decides when to report them.
/// </summary>
/// <remarks>The checks and their order follow DynamoDB's: each type member in document order, the first
/// problem wins, "more than one datatypes" only when every member is fine. Coral drops unknown and
/// null members before looking, so <c>{"X":1}</c> and <c>{"S":null}</c> are "empty".</remarks>
internal static class AttributeValueReader
{
    private static readonly AttributeValue Placeholder = AttributeValue.Null;

    public static AttributeValue Read(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        invalid = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            invalid = DynamoErrors.EmptyAttributeValue();
            return Placeholder;
        }
        CoralShapes.Expect(ref reader, CoralShape.Structure);

        AttributeValue? value = null;
        var types = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TypeName(ref reader) is not { } type)
            {
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null) continue;
            types++;
            value = ReadTyped(ref reader, type, out var error);
            invalid ??= error;
        }

        if (invalid is null && types != 1)
            invalid = types == 0 ? DynamoErrors.EmptyAttributeValue() : DynamoErrors.AttributeValueHasMultipleTypes();
        return invalid is null ? value! : Placeholder;
    }

    private static AttributeValue ReadTyped(ref Utf8JsonReader reader, AttributeType type, out DynamoException? invalid)
    {
        invalid = null;
        switch (type)
        {
            case AttributeType.S: return AttributeValue.FromS(CoralScalars.ReadString(ref reader));
            case AttributeType.N: return ReadNumber(ref reader, out invalid);
            case AttributeType.B: return AttributeValue.FromB(CoralScalars.ReadBlob(ref reader));
            case AttributeType.BOOL: return AttributeValue.FromBool(CoralScalars.ReadBoolean(ref reader));
            case AttributeType.NULL:
                if (!CoralScalars.ReadBoolean(ref reader)) invalid = DynamoErrors.NullAttributeValueNotTrue();
                return AttributeValue.Null;
            case AttributeType.SS: return ReadStringSet(ref reader, out invalid);
            case AttributeType.NS: return ReadNumberSet(ref reader, out invalid);
            case AttributeType.BS: return ReadBinarySet(ref reader, out invalid);
            case AttributeType.M: return ReadMap(ref reader, out invalid);
            default: return ReadList(ref reader, out invalid);
        }
    }

    private static AttributeValue ReadNumber(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        if (DynamoNumber.TryParse(CoralScalars.ReadString(ref reader), out var number, out var error))
        {
            invalid = null;
            return AttributeValue.FromN(number);
        }
        invalid = DynamoErrors.InvalidNumber(error);
        return Placeholder;
    }

    private static AttributeValue ReadStringSet(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        CoralShapes.Expect(ref reader, CoralShape.List);
        var members = new List<string>();
        var hasNull = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null) hasNull = true;
            else members.Add(CoralScalars.ReadString(ref reader));
        }
        invalid = hasNull ? DynamoErrors.NullStringSetMember() : ItemRules.StringSetError(members);
        return invalid is null ? AttributeValue.FromSS(members) : Placeholder;
    }

    private static AttributeValue ReadNumberSet(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        CoralShapes.Expect(ref reader, CoralShape.List);
        // Read every member first: a type error in a later member outranks a bad number in an earlier one.
        var texts = new List<string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            texts.Add(reader.TokenType == JsonTokenType.Null ? null : CoralScalars.ReadString(ref reader));

        invalid = null;
        if (texts.Count == 0) invalid = DynamoErrors.EmptyNumberSet();
        var members = new DynamoNumber[texts.Count];
        for (var i = 0; i < texts.Count && invalid is null; i++)
        {
            if (!DynamoNumber.TryParse(texts[i], out members[i], out var error)) invalid = DynamoErrors.InvalidNumber(error);
        }
        invalid ??= ItemRules.NumberSetError(members);
        return invalid is null ? AttributeValue.FromNS(members) : Placeholder;
    }

    private static AttributeValue ReadBinarySet(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        CoralShapes.Expect(ref reader, CoralShape.List);
        var members = new List<byte[]>();
        var hasNull = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null) hasNull = true;
            else members.Add(CoralScalars.ReadBlob(ref reader));
        }
        // Only canonical base64 gets this far, so re-encoding duplicates shows them as the client sent them.
        invalid = hasNull ? DynamoErrors.NullBinarySetMember() : ItemRules.BinarySetError(members);
        return invalid is null ? AttributeValue.FromBS(members) : Placeholder;
    }

    private static AttributeValue ReadMap(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        CoralShapes.Expect(ref reader, CoralShape.Map);
        invalid = null;
        var entries = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            entries[name] = Read(ref reader, out var error);
            invalid ??= error;
        }
        return invalid is null ? AttributeValue.FromM(entries) : Placeholder;
    }

    private static AttributeValue ReadList(ref Utf8JsonReader reader, out DynamoException? invalid)
    {
        CoralShapes.Expect(ref reader, CoralShape.List);
        invalid = null;
        var elements = new List<AttributeValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            elements.Add(Read(ref reader, out var error));
            invalid ??= error;
        }
        return invalid is null ? AttributeValue.FromL(elements) : Placeholder;
    }

    /// <summary>The attribute type a member name stands for, or null for a name DynamoDB ignores.</summary>
    private static AttributeType? TypeName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence) return TypeName(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!));
        return TypeName(reader.ValueSpan);
    }

    private static AttributeType? TypeName(ReadOnlySpan<byte> name) => name.Length switch
    {
        1 => name[0] switch
        {
            (byte)'S' => AttributeType.S,
            (byte)'N' => AttributeType.N,
            (byte)'B' => AttributeType.B,
            (byte)'M' => AttributeType.M,
            (byte)'L' => AttributeType.L,
            _ => null,
        },
        2 when name[1] == 'S' => name[0] switch
        {
            (byte)'S' => AttributeType.SS,
            (byte)'N' => AttributeType.NS,
            (byte)'B' => AttributeType.BS,
            _ => null,
        },
        4 when name.SequenceEqual("BOOL"u8) => AttributeType.BOOL,
        4 when name.SequenceEqual("NULL"u8) => AttributeType.NULL,
        _ => null,
    };
}
