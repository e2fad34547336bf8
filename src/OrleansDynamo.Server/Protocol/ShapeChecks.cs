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
            property.CustomConverter = ListElementType(property.PropertyType) is { } elementType
                ? (JsonConverter)Activator.CreateInstance(typeof(ShapeCheckedListConverter<,>).MakeGenericType(property.PropertyType, elementType))!
                : (JsonConverter)Activator.CreateInstance(typeof(ShapeCheckedConverter<>).MakeGenericType(property.PropertyType), shape)!;
        }
    }

    /// <summary>The element type of a list member that a <see cref="List{T}"/> can fill, else null.</summary>
    private static Type? ListElementType(Type type)
    {
        if (CoralShapes.Of(type) != CoralShape.List) return null;
        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (enumerable?.GetGenericArguments()[0] is not { } element) return null;
        return type.IsAssignableFrom(typeof(List<>).MakeGenericType(element)) ? element : null;
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

/// <summary>Checks that a list member is a list and each element has its type's shape, then reads the elements.</summary>
/// <typeparam name="TList">The member's type, which a <see cref="List{T}"/> of <typeparamref name="TElement"/> fills.</typeparam>
internal sealed class ShapeCheckedListConverter<TList, TElement> : JsonConverter<TList>
{
    private static readonly CoralShape? ElementShape = CoralShapes.Of(typeof(TElement));
    private JsonTypeInfo<TElement>? _elementType;
    private JsonTypeInfo<TList>? _listType;

    public override TList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, CoralShape.List);
        var elementType = _elementType ??= (JsonTypeInfo<TElement>)options.GetTypeInfo(typeof(TElement));
        var elements = new List<TElement>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ElementShape is { } shape && reader.TokenType != JsonTokenType.Null) CoralShapes.Expect(ref reader, shape);
            elements.Add(JsonSerializer.Deserialize(ref reader, elementType)!);
        }
        return (TList)(object)elements;
    }

    public override void Write(Utf8JsonWriter writer, TList value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, _listType ??= (JsonTypeInfo<TList>)options.GetTypeInfo(typeof(TList)));
}
