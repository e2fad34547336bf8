using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// The DynamoDB JSON wire format: reading request records and writing response records, with DynamoDB's
/// member names (exact case), its attribute value encoding and its SerializationException messages.
/// </summary>
internal static class DynamoJson
{
    // DynamoDB allows 32 levels of nested attribute values, two JSON levels each, inside the request and
    // an item; deeper input is left to the item validator's "Nesting Levels" error, up to this bound.
    private const int MaxDepth = 256;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>For request records: unknown members ignored, Coral's type errors, shape checks on every member.</summary>
    public static JsonSerializerOptions RequestOptions { get; } = CreateRequestOptions();

    /// <summary>For response records: null members left out.</summary>
    public static JsonSerializerOptions ResponseOptions { get; } = CreateResponseOptions();

    /// <summary>Responses are never HTML, so only what JSON itself requires is escaped.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonTypeInfo<T> RequestType<T>() => (JsonTypeInfo<T>)RequestOptions.GetTypeInfo(typeof(T));

    public static JsonTypeInfo<T> ResponseType<T>() => (JsonTypeInfo<T>)ResponseOptions.GetTypeInfo(typeof(T));

    /// <summary>
    /// Reads a request body. Throws <see cref="DynamoException"/> only: SerializationException for anything
    /// that is not JSON of the right types, else the first invalid attribute value as ValidationException.
    /// </summary>
    public static T ReadRequest<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo) where T : class
    {
        try
        {
            return ReadWellTyped(body, typeInfo);
        }
        catch (DynamoException error) when (error.ErrorType == DynamoErrorTypes.Serialization && !IsWellFormed(body))
        {
            // DynamoDB parses the whole body before it looks at types: broken JSON anywhere wins.
            throw DynamoErrors.MalformedRequest();
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException
                                          or ArgumentException or OverflowException or DecoderFallbackException)
        {
            // Syntax errors and invalid UTF-8, which the reader reports as .NET exceptions.
            throw DynamoErrors.MalformedRequest();
        }
    }

    public static void WriteResponse<T>(IBufferWriter<byte> output, T response, JsonTypeInfo<T> typeInfo)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        JsonSerializer.Serialize(writer, response, typeInfo);
    }

    /// <summary>Whether the body is one syntactically valid JSON value.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        try
        {
            if (!reader.Read()) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static T ReadWellTyped<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo) where T : class
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read()) throw DynamoErrors.MalformedRequest();
        // A request is a JSON object: null, a list or a scalar is a SerializationException.
        if (reader.TokenType == JsonTokenType.Null) throw DynamoErrors.MalformedRequest();
        var request = ReadMembers(ref reader, typeInfo, out var invalid);
        if (reader.Read()) throw DynamoErrors.MalformedRequest(); // trailing content throws in Read, or is a second value
        if (invalid is not null) throw invalid;
        return request;
    }

    private static T ReadMembers<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> typeInfo, out DynamoException? invalid) where T : class
    {
        CoralShapes.Expect(ref reader, CoralShape.Structure);
        DeferredValidation.Begin();
        try
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo)!;
        }
        finally
        {
            invalid = DeferredValidation.End();
        }
    }

    private static JsonSerializerOptions CreateRequestOptions()
    {
        var options = new JsonSerializerOptions
        {
            MaxDepth = MaxDepth,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                // The specific binding first: shape checks leave members that already have a converter alone.
                Modifiers = { ExpressionAttributeValuesConverter.AddTo, ShapeChecks.AddTo },
            },
        };
        AddConverters(options);
        options.Converters.Add(new CoralStringConverter());
        options.Converters.Add(new CoralBooleanConverter());
        options.Converters.Add(new CoralInt32Converter());
        options.Converters.Add(new CoralInt64Converter());
        options.MakeReadOnly();
        return options;
    }

    private static JsonSerializerOptions CreateResponseOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        AddConverters(options);
        options.MakeReadOnly();
        return options;
    }

    private static void AddConverters(JsonSerializerOptions options)
    {
        options.Converters.Add(new AttributeValueConverter());
        options.Converters.Add(new ItemConverter());
    }
}
