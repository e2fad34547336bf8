using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansDynamo.Json;
using OrleansDynamo.Model;

namespace OrleansDynamo.Server.Protocol;

/// <summary>An <see cref="Item"/> (also a key) as a JSON object of attribute name to attribute value.</summary>
internal sealed class ItemConverter : JsonConverter<Item>
{
    public override Item Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, CoralShape.Map);
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = AttributeValueReader.Read(ref reader, out var invalid);
            if (invalid is not null) DeferredValidation.Report(invalid);
            attributes[name] = value;
        }
        return new Item(attributes);
    }

    public override void Write(Utf8JsonWriter writer, Item value, JsonSerializerOptions options) =>
        AttributeValueWriter.WriteItem(writer, value);
}
