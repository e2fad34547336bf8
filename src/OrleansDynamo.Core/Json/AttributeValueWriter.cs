using System.Text.Json;
using OrleansDynamo.Model;

namespace OrleansDynamo.Json;

/// <summary>Writes attribute values and items in DynamoDB JSON: numbers as strings, binary as base64.</summary>
/// <remarks>In Core so that the HTTP protocol and the table export write one and the same JSON.</remarks>
public static class AttributeValueWriter
{
    private static readonly JsonEncodedText S = JsonEncodedText.Encode("S");
    private static readonly JsonEncodedText N = JsonEncodedText.Encode("N");
    private static readonly JsonEncodedText B = JsonEncodedText.Encode("B");
    private static readonly JsonEncodedText SS = JsonEncodedText.Encode("SS");
    private static readonly JsonEncodedText NS = JsonEncodedText.Encode("NS");
    private static readonly JsonEncodedText BS = JsonEncodedText.Encode("BS");
    private static readonly JsonEncodedText M = JsonEncodedText.Encode("M");
    private static readonly JsonEncodedText L = JsonEncodedText.Encode("L");
    private static readonly JsonEncodedText NULL = JsonEncodedText.Encode("NULL");
    private static readonly JsonEncodedText BOOL = JsonEncodedText.Encode("BOOL");

    public static void WriteItem(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, AttributeValue>> attributes)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in attributes)
        {
            writer.WritePropertyName(name);
            Write(writer, value);
        }
        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        switch (value.Type)
        {
            case AttributeType.S:
                writer.WriteString(S, value.S);
                break;
            case AttributeType.N:
                writer.WriteString(N, value.N.ToString());
                break;
            case AttributeType.B:
                writer.WriteBase64String(B, value.B.Span);
                break;
            case AttributeType.SS:
                writer.WriteStartArray(SS);
                foreach (var member in value.SS) writer.WriteStringValue(member);
                writer.WriteEndArray();
                break;
            case AttributeType.NS:
                writer.WriteStartArray(NS);
                foreach (var member in value.NS) writer.WriteStringValue(member.ToString());
                writer.WriteEndArray();
                break;
            case AttributeType.BS:
                writer.WriteStartArray(BS);
                foreach (var member in value.BS) writer.WriteBase64StringValue(member);
                writer.WriteEndArray();
                break;
            case AttributeType.M:
                writer.WritePropertyName(M);
                WriteItem(writer, value.M);
                break;
            case AttributeType.L:
                writer.WriteStartArray(L);
                foreach (var element in value.L) Write(writer, element);
                writer.WriteEndArray();
                break;
            case AttributeType.NULL:
                writer.WriteBoolean(NULL, true);
                break;
            case AttributeType.BOOL:
                writer.WriteBoolean(BOOL, value.BOOL);
                break;
        }
        writer.WriteEndObject();
    }
}
