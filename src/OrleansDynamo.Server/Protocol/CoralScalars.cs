using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// Reads JSON scalars the way DynamoDB's front end (Amazon's "Coral" framework) does, and fails with its
/// SerializationException messages when a value has the wrong JSON type.
/// </summary>
/// <remarks>The messages are Coral's, grammar included ("an String"); see dynalite's validations/index.js.</remarks>
internal static class CoralScalars
{
    // Coral parses every JSON number as this class before converting it.
    private const string JsonNumberClass = "com.amazon.coral.value.json.numbers.TruncatingBigNumber";
    private const string JsonBooleanClass = "java.lang.Boolean";
    private const string JsonStringClass = "java.lang.String";

    private static readonly SearchValues<byte> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    public static string ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => throw DynamoErrors.CannotConvert(JsonNumberClass, "an String"),
        JsonTokenType.True or JsonTokenType.False => throw DynamoErrors.CannotConvert(JsonBooleanClass, "an String"),
        _ => throw UnexpectedToken(reader.TokenType),
    };

    public static bool ReadBoolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number => throw DynamoErrors.CannotConvert(JsonNumberClass, "an Boolean"),
        JsonTokenType.String => ParseBooleanText(reader.GetString()!),
        _ => throw UnexpectedToken(reader.TokenType),
    };

    public static int ReadInt32(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetInt32(out var value) ? value : (int)Math.Clamp(Math.Floor(reader.GetDouble()), int.MinValue, int.MaxValue),
        _ => throw NotANumber(reader.TokenType, "an Integer"),
    };

    public static long ReadInt64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetInt64(out var value) ? value : (long)Math.Clamp(Math.Floor(reader.GetDouble()), long.MinValue, long.MaxValue),
        _ => throw NotANumber(reader.TokenType, "an Long"),
    };

    /// <summary>Reads a base64 string as bytes. Coral accepts only canonical base64, with padding.</summary>
    public static byte[] ReadBlob(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: break;
            case JsonTokenType.Number: throw DynamoErrors.CannotConvert(JsonNumberClass, "a Blob");
            case JsonTokenType.True or JsonTokenType.False: throw DynamoErrors.CannotConvert(JsonBooleanClass, "a Blob");
            default: throw UnexpectedToken(reader.TokenType);
        }
        if (!reader.ValueIsEscaped && !reader.HasValueSequence) return DecodeBase64(reader.ValueSpan);

        // Rare: some encoders escape '/' as "\/". Unescape into a pooled buffer first.
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = reader.CopyString(rented);
            return DecodeBase64(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Coral reads "true"/"1"/"yes" and "false"/"0"/"no" (any case) as booleans.</summary>
    private static bool ParseBooleanText(string text)
    {
        var upper = text.ToUpperInvariant();
        return upper switch
        {
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => throw DynamoErrors.CannotConvertToBoolean(upper),
        };
    }

    private static DynamoException NotANumber(JsonTokenType token, string target) => token switch
    {
        JsonTokenType.String => DynamoErrors.CannotConvert(JsonStringClass, target),
        JsonTokenType.True or JsonTokenType.False => DynamoErrors.CannotConvert(JsonBooleanClass, target),
        _ => UnexpectedToken(token),
    };

    private static DynamoException UnexpectedToken(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => DynamoErrors.UnexpectedList(),
        JsonTokenType.StartObject => DynamoErrors.UnexpectedStructure(),
        _ => DynamoErrors.MalformedRequest(),
    };

    private static byte[] DecodeBase64(ReadOnlySpan<byte> utf8)
    {
        if (TryDecodeCanonicalBase64(utf8, out var bytes)) return bytes;
        throw Base64Error(Encoding.UTF8.GetString(utf8));
    }

    private static bool TryDecodeCanonicalBase64(ReadOnlySpan<byte> utf8, out byte[] bytes)
    {
        bytes = [];
        if (utf8.Length % 4 != 0 || utf8.IndexOfAnyExcept(Base64Alphabet) >= 0) return false;
        if (utf8.Length == 0) return true;
        var padding = utf8[^1] != '=' ? 0 : utf8[^2] != '=' ? 1 : 2;
        // '=' only as padding at the very end.
        if (utf8[..^padding].Contains((byte)'=')) return false;
        // Canonical: the bits after the last full byte must be zero (Coral rejects "YR==" for "Yg==").
        if (padding > 0 && (SextetOf(utf8[^(padding + 1)]) & (padding == 1 ? 0b11 : 0b1111)) != 0) return false;

        bytes = new byte[utf8.Length / 4 * 3 - padding];
        return Base64.DecodeFromUtf8(utf8, bytes, out _, out var written) == OperationStatus.Done && written == bytes.Length;
    }

    private static int SextetOf(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        _ => 63,
    };

    /// <summary>Coral's explanation of why a string is not base64, checked in Coral's order.</summary>
    private static DynamoException Base64Error(string text)
    {
        if (text.Length % 4 != 0)
            return DynamoErrors.InvalidBlob(text, $"Base64 encoded length is expected a multiple of 4 bytes but found: {text.Length}");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var valid = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=';
            if (!valid || (c == '=' && i + 1 < text.Length && text[i + 1] != '='))
                return DynamoErrors.InvalidBlob(text, $"Invalid Base64 character: '{c}'");
        }
        // DynamoDB's spelling.
        return DynamoErrors.InvalidBlob(text, "Invalid last non-pad Base64 character dectected");
    }
}
