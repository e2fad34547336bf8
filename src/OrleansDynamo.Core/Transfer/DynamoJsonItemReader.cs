using System.Text.Json;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Transfer;

/// <summary>
/// Reads one record of a DYNAMODB_JSON import, <c>{"Item":{"name":{"S":"x"},...}}</c>, into an item.
/// </summary>
/// <remarks>
/// Not the server's AttributeValueReader: that one needs the protocol's Coral helpers, which stay in the server, and
/// throws Coral's request errors. This one reads a whole line at once and only needs to say what is wrong with it.
/// Set, name and nesting rules are left to <see cref="ItemRules.CheckValues"/>, which every imported item goes through.
/// </remarks>
internal static class DynamoJsonItemReader
{
    // Two JSON levels per nesting level (the value object and its M or L), the line and "Item", and room to spare,
    // so that too deep an item is reported by ItemRules in DynamoDB's words rather than by the JSON parser.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 2 * (ItemRules.MaxNestingDepth + 2) + 2 };

    /// <summary>The item of a record, or null with the reason in <paramref name="error"/>.</summary>
    public static Item? Read(ReadOnlyMemory<byte> record, out DynamoException? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(record, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Item", out var item) || item.ValueKind != JsonValueKind.Object)
                throw DynamoErrors.ImportRecordUnparsable("a record is a JSON object with an \"Item\" object, {\"Item\":{...}}");
            return new Item(ReadMap(item));
        }
        catch (JsonException e)
        {
            error = DynamoErrors.ImportRecordUnparsable(e.Message);
        }
        catch (DynamoException e)
        {
            error = e;
        }
        return null;
    }

    private static Dictionary<string, AttributeValue> ReadMap(JsonElement map)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var member in map.EnumerateObject()) attributes[member.Name] = ReadValue(member.Value);
        return attributes;
    }

    /// <summary>One value, <c>{"S":"x"}</c>: exactly one type member. Unknown and null members do not count, as in DynamoDB.</summary>
    private static AttributeValue ReadValue(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw DynamoErrors.ImportRecordUnparsable("an attribute value is a JSON object such as {\"S\":\"text\"}");
        AttributeValue? result = null;
        var types = 0;
        foreach (var member in value.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null || TypeNamed(member.Name) is not { } type) continue;
            types++;
            result = ReadTyped(type, member.Value);
        }
        return types switch
        {
            0 => throw DynamoErrors.EmptyAttributeValue(),
            1 => result!,
            _ => throw DynamoErrors.AttributeValueHasMultipleTypes(),
        };
    }

    private static AttributeValue ReadTyped(AttributeType type, JsonElement value) => type switch
    {
        AttributeType.S => AttributeValue.FromS(Text(value, "S")),
        AttributeType.N => AttributeValue.FromN(Number(Text(value, "N"))),
        AttributeType.B => AttributeValue.FromB(Binary(value, "B")),
        AttributeType.BOOL => value.ValueKind switch
        {
            JsonValueKind.True => AttributeValue.True,
            JsonValueKind.False => AttributeValue.False,
            _ => throw DynamoErrors.ImportRecordUnparsable("BOOL is true or false"),
        },
        AttributeType.NULL => value.ValueKind switch
        {
            JsonValueKind.True => AttributeValue.Null,
            JsonValueKind.False => throw DynamoErrors.NullAttributeValueNotTrue(),
            _ => throw DynamoErrors.ImportRecordUnparsable("NULL is true"),
        },
        AttributeType.SS => AttributeValue.FromSS(Members(value, "SS").Select(m => Text(m, "SS"))),
        AttributeType.NS => AttributeValue.FromNS(Members(value, "NS").Select(m => Number(Text(m, "NS")))),
        AttributeType.BS => AttributeValue.FromBS(Members(value, "BS").Select(m => Binary(m, "BS"))),
        AttributeType.M => value.ValueKind == JsonValueKind.Object
            ? AttributeValue.FromM(ReadMap(value))
            : throw DynamoErrors.ImportRecordUnparsable("M is a JSON object"),
        _ => AttributeValue.FromL(Members(value, "L").Select(ReadValue)),
    };

    private static string Text(JsonElement value, string type) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw DynamoErrors.ImportRecordUnparsable($"{type} holds JSON strings (numbers too are written as strings)");

    private static DynamoNumber Number(string text) =>
        DynamoNumber.TryParse(text, out var number, out var error) ? number : throw DynamoErrors.InvalidNumber(error);

    private static byte[] Binary(JsonElement value, string type) =>
        value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw DynamoErrors.ImportRecordUnparsable($"{type} holds base64 strings");

    private static JsonElement.ArrayEnumerator Members(JsonElement value, string type) => value.ValueKind == JsonValueKind.Array
        ? value.EnumerateArray()
        : throw DynamoErrors.ImportRecordUnparsable($"{type} is a JSON array");

    // Spelled out rather than Enum.TryParse, which would also take "0" or "s".
    private static AttributeType? TypeNamed(string name) => name switch
    {
        "S" => AttributeType.S,
        "N" => AttributeType.N,
        "B" => AttributeType.B,
        "SS" => AttributeType.SS,
        "NS" => AttributeType.NS,
        "BS" => AttributeType.BS,
        "M" => AttributeType.M,
        "L" => AttributeType.L,
        "NULL" => AttributeType.NULL,
        "BOOL" => AttributeType.BOOL,
        _ => null,
    };
}
