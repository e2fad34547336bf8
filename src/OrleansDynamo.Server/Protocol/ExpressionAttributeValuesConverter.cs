using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OrleansDynamo.Errors;
using OrleansDynamo.Json;
using OrleansDynamo.Model;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// <c>ExpressionAttributeValues</c>: like an item, except that DynamoDB names the placeholder in its error
/// ("ExpressionAttributeValues contains invalid value: ... for key :v").
/// </summary>
internal sealed class ExpressionAttributeValuesConverter : JsonConverter<IReadOnlyDictionary<string, AttributeValue>>
{
    public const string MemberName = "ExpressionAttributeValues";
    private static readonly ExpressionAttributeValuesConverter Instance = new();

    /// <summary>A contract modifier: binds this converter to every request member of that name.</summary>
    public static void AddTo(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in typeInfo.Properties)
        {
            if (property.Name == MemberName && property.PropertyType == typeof(IReadOnlyDictionary<string, AttributeValue>))
                property.CustomConverter = Instance;
        }
    }

    public override IReadOnlyDictionary<string, AttributeValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, CoralShape.Map);
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var placeholder = reader.GetString()!;
            reader.Read();
            var value = AttributeValueReader.Read(ref reader, out var invalid);
            if (invalid is not null) DeferredValidation.Report(DynamoErrors.InvalidExpressionAttributeValue(placeholder, invalid));
            values[placeholder] = value;
        }
        return values;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, AttributeValue> value, JsonSerializerOptions options) =>
        AttributeValueWriter.WriteItem(writer, value);
}
