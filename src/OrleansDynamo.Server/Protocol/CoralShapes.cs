using System.Collections;
using System.Text.Json;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Server.Protocol;

/// <summary>The three JSON container shapes of DynamoDB's wire format.</summary>
internal enum CoralShape { Structure, List, Map }

/// <summary>Checks that a JSON value has the container shape a request member needs, with Coral's messages.</summary>
internal static class CoralShapes
{
    /// <summary>Throws DynamoDB's SerializationException unless the reader is on the start of <paramref name="shape"/>.</summary>
    public static void Expect(ref Utf8JsonReader reader, CoralShape shape)
    {
        var token = reader.TokenType;
        switch (shape)
        {
            case CoralShape.Structure when token != JsonTokenType.StartObject:
                throw token == JsonTokenType.StartArray ? DynamoErrors.UnexpectedList() : DynamoErrors.ExpectedStructure();
            case CoralShape.Map when token != JsonTokenType.StartObject:
                throw token == JsonTokenType.StartArray ? DynamoErrors.UnexpectedList() : DynamoErrors.ExpectedMap();
            case CoralShape.List when token != JsonTokenType.StartArray:
                throw token == JsonTokenType.StartObject ? DynamoErrors.UnexpectedStructure() : DynamoErrors.ExpectedList();
        }
    }

    /// <summary>The shape a .NET member type has on the wire, or null for scalars.</summary>
    public static CoralShape? Of(Type type)
    {
        if (type == typeof(string) || type.IsValueType) return null;
        if (IsDictionary(type)) return CoralShape.Map;
        if (typeof(IEnumerable).IsAssignableFrom(type)) return CoralShape.List;
        return type.IsClass ? CoralShape.Structure : null;
    }

    private static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type) ||
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
}
