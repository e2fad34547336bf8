using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// A contract modifier that puts a shape check in front of every structure, list and map member of the
/// request records, so that <c>{"KeySchema": {}}</c> fails with DynamoDB's message rather than a JsonException.
/// </summary>
/// <remarks>The check sits on the member, not on the type: the member's converter can then hand the value
/// on to the type's own (default) converter without finding itself again.</remarks>
internal static class ShapeChecks
{
    public static void AddTo(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in typeInfo.Properties)
        {
            if (property.CustomConverter is not null || HasOwnConverter(typeInfo.Options, property.PropertyType)) continue;
            if (CoralShapes.Of(property.PropertyType) is not { } shape) continue;
            var converterType = typeof(ShapeCheckedConverter<>).MakeGenericType(property.PropertyType);
            property.CustomConverter = (JsonConverter)Activator.CreateInstance(converterType, shape)!;
        }
    }

    // Item, AttributeValue and the like check their own shape.
    private static bool HasOwnConverter(JsonSerializerOptions options, Type type) =>
        options.Converters.Any(converter => converter.CanConvert(type));
}

/// <summary>Checks the JSON shape of a member, then reads it with the type's default contract.</summary>
internal sealed class ShapeCheckedConverter<T>(CoralShape shape) : JsonConverter<T>
{
    private JsonTypeInfo<T>? _typeInfo;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, shape);
        return JsonSerializer.Deserialize(ref reader, TypeInfo(options));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, TypeInfo(options));

    private JsonTypeInfo<T> TypeInfo(JsonSerializerOptions options) =>
        _typeInfo ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
