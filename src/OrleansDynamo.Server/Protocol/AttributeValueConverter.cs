using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansDynamo.Json;
using OrleansDynamo.Model;

namespace OrleansDynamo.Server.Protocol;

/// <summary>An <see cref="AttributeValue"/> as DynamoDB JSON, e.g. <c>{"N":"1.5"}</c>.</summary>
internal sealed class AttributeValueConverter : JsonConverter<AttributeValue>
{
    // A JSON null where a value belongs is DynamoDB's "empty AttributeValue", not a .NET null.
    public override bool HandleNull => true;

    public override AttributeValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = AttributeValueReader.Read(ref reader, out var invalid);
        if (invalid is not null) DeferredValidation.Report(invalid);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, AttributeValue? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else AttributeValueWriter.Write(writer, value);
    }
}
