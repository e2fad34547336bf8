using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OrleansDynamo.Errors;

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
            var member = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            property.CustomConverter = ListElementType(property.PropertyType) is { } elementType
                ? (JsonConverter)Activator.CreateInstance(typeof(ShapeCheckedListConverter<,>).MakeGenericType(property.PropertyType, elementType), member)!
                : MapValueType(property.PropertyType) is { } valueType
                    ? (JsonConverter)Activator.CreateInstance(typeof(ShapeCheckedMapConverter<,>).MakeGenericType(property.PropertyType, valueType), member)!
                    : (JsonConverter)Activator.CreateInstance(typeof(ShapeCheckedConverter<>).MakeGenericType(property.PropertyType), shape, member)!;
        }
    }

    /// <summary>The element type of a list member that a <see cref="List{T}"/> can fill, else null.</summary>
    internal static Type? ListElementType(Type type)
    {
        if (CoralShapes.Of(type) != CoralShape.List) return null;
        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (enumerable?.GetGenericArguments()[0] is not { } element) return null;
        return type.IsAssignableFrom(typeof(List<>).MakeGenericType(element)) ? element : null;
    }

    /// <summary>The value type of a string-keyed map member that a <see cref="Dictionary{TKey,TValue}"/> can fill, else null.</summary>
    private static Type? MapValueType(Type type)
    {
        if (CoralShapes.Of(type) != CoralShape.Map) return null;
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && i.GetGenericArguments()[0] == typeof(string));
        if (dictionary?.GetGenericArguments()[1] is not { } value) return null;
        return type.IsAssignableFrom(typeof(Dictionary<,>).MakeGenericType(typeof(string), value)) ? value : null;
    }

    // Item, AttributeValue and the like check their own shape.
    private static bool HasOwnConverter(JsonSerializerOptions options, Type type) =>
        options.Converters.Any(converter => converter.CanConvert(type));
}

/// <summary>Checks the JSON shape of a member, then reads it with the type's default contract.</summary>
internal sealed class ShapeCheckedConverter<T>(CoralShape shape, string member) : JsonConverter<T>
{
    private JsonTypeInfo<T>? _typeInfo;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, shape);
        RequestPath.Push(member);
        try
        {
            return JsonSerializer.Deserialize(ref reader, TypeInfo(options));
        }
        finally
        {
            RequestPath.Pop();
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, TypeInfo(options));

    private JsonTypeInfo<T> TypeInfo(JsonSerializerOptions options) =>
        _typeInfo ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}

/// <summary>Checks that a list member is a list and each element has its type's shape, then reads the elements.</summary>
/// <typeparam name="TList">The member's type, which a <see cref="List{T}"/> of <typeparamref name="TElement"/> fills.</typeparam>
/// <param name="member">The member's name in DynamoDB's messages; null for a list inside a map, named by its key.</param>
internal sealed class ShapeCheckedListConverter<TList, TElement>(string? member) : JsonConverter<TList>
{
    private static readonly CoralShape? ElementShape = CoralShapes.Of(typeof(TElement));
    private JsonTypeInfo<TElement>? _elementType;
    private JsonTypeInfo<TList>? _listType;

    public override TList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, CoralShape.List);
        var elementType = _elementType ??= (JsonTypeInfo<TElement>)options.GetTypeInfo(typeof(TElement));
        var elements = new List<TElement>();
        if (member is not null) RequestPath.Push(member);
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                RequestPath.PushElement(elements.Count + 1);
                try
                {
                    // A null element is left out of the list, and reported as DynamoDB does, once types are checked.
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        DeferredValidation.Report(DynamoErrors.NullMember(RequestPath.Current));
                        continue;
                    }
                    if (ElementShape is { } shape) CoralShapes.Expect(ref reader, shape);
                    elements.Add(JsonSerializer.Deserialize(ref reader, elementType)!);
                }
                finally
                {
                    RequestPath.Pop();
                }
            }
        }
        finally
        {
            if (member is not null) RequestPath.Pop();
        }
        return (TList)(object)elements;
    }

    public override void Write(Utf8JsonWriter writer, TList value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, _listType ??= (JsonTypeInfo<TList>)options.GetTypeInfo(typeof(TList)));
}

/// <summary>Checks that a map member is a map and reads its values; a null value is left out and reported.</summary>
/// <typeparam name="TMap">The member's type, which a <see cref="Dictionary{TKey,TValue}"/> of string to <typeparamref name="TValue"/> fills.</typeparam>
internal sealed class ShapeCheckedMapConverter<TMap, TValue>(string member) : JsonConverter<TMap>
{
    private static readonly CoralShape? ValueShape = CoralShapes.Of(typeof(TValue));
    // A list value (BatchWriteItem's RequestItems) has its elements checked as a list member's are.
    private static readonly JsonConverter<TValue>? ListValue = ShapeChecks.ListElementType(typeof(TValue)) is { } element
        ? (JsonConverter<TValue>)Activator.CreateInstance(typeof(ShapeCheckedListConverter<,>).MakeGenericType(typeof(TValue), element), [null])!
        : null;
    private JsonTypeInfo<TValue>? _valueType;
    private JsonTypeInfo<TMap>? _mapType;

    public override TMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CoralShapes.Expect(ref reader, CoralShape.Map);
        var valueType = _valueType ??= (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        RequestPath.Push(member);
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var key = reader.GetString()!;
                reader.Read();
                RequestPath.Push(key);
                try
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        DeferredValidation.Report(DynamoErrors.NullMember(RequestPath.Current));
                        continue;
                    }
                    if (ValueShape is { } shape) CoralShapes.Expect(ref reader, shape);
                    map[key] = ListValue is not null ? ListValue.Read(ref reader, typeof(TValue), options)! : JsonSerializer.Deserialize(ref reader, valueType)!;
                }
                finally
                {
                    RequestPath.Pop();
                }
            }
        }
        finally
        {
            RequestPath.Pop();
        }
        return (TMap)(object)map;
    }

    public override void Write(Utf8JsonWriter writer, TMap value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, _mapType ??= (JsonTypeInfo<TMap>)options.GetTypeInfo(typeof(TMap)));
}

/// <summary>
/// Where in the request the reader is, as DynamoDB names it in its messages (<c>keySchema.1.member</c>).
/// Thread-static for the reason <see cref="DeferredValidation"/> is.
/// </summary>
internal static class RequestPath
{
    // A step is a member name or a map key, or (Name null) a list element's position; the text is made only
    // for an error, so reading a request allocates nothing for its path.
    [ThreadStatic] private static List<(string? Name, int Position)>? t_steps;

    public static void Push(string name) => (t_steps ??= []).Add((name, 0));

    /// <summary>The <paramref name="position"/>th element (from 1) of the list being read: <c>N.member</c>.</summary>
    public static void PushElement(int position) => (t_steps ??= []).Add((null, position));

    public static void Pop() => t_steps!.RemoveAt(t_steps.Count - 1);

    public static string Current => string.Join('.', (t_steps ?? []).Select(s => s.Name ?? $"{s.Position}.member"));
}
