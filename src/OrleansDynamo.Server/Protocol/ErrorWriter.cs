using System.Buffers;
using System.Text.Json;
using OrleansDynamo.Errors;
using OrleansDynamo.Json;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// Writes a <see cref="DynamoException"/> as DynamoDB's error body:
/// <c>{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"..."}</c>.
/// </summary>
/// <remarks>
/// The namespace in <c>__type</c> tells which layer of DynamoDB's front end raised the error, and clients
/// match on the part after '#'. Request-parsing errors come from Coral's service layer and spell the
/// member "Message"; see dynalite's index.js and test/helpers.js.
/// </remarks>
internal static class ErrorWriter
{
    private const string DynamoDbNamespace = "com.amazonaws.dynamodb.v20120810#";
    private const string CoralServiceNamespace = "com.amazon.coral.service#";
    private const string CoralValidateNamespace = "com.amazon.coral.validate#";
    private const string CoralAvailabilityNamespace = "com.amazon.coral.availability#";

    private static readonly JsonEncodedText TypeMember = JsonEncodedText.Encode("__type");
    private static readonly JsonEncodedText MessageMember = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText CoralMessageMember = JsonEncodedText.Encode("Message");
    private static readonly JsonEncodedText ItemMember = JsonEncodedText.Encode("Item");
    private static readonly JsonEncodedText ReasonsMember = JsonEncodedText.Encode("CancellationReasons");
    private static readonly JsonEncodedText CodeMember = JsonEncodedText.Encode("Code");
    // ProvisionedThroughputExceededException spells its list "ThrottlingReasons", ThrottlingException "throttlingReasons".
    private static readonly JsonEncodedText ThrottlingReasonsMember = JsonEncodedText.Encode("ThrottlingReasons");
    private static readonly JsonEncodedText ThrottlingReasonsLowerMember = JsonEncodedText.Encode("throttlingReasons");
    private static readonly JsonEncodedText ReasonMember = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText ResourceMember = JsonEncodedText.Encode("resource");

    /// <summary>400 for the client's errors; 500 for server faults, which the SDKs retry.</summary>
    public static int StatusCodeOf(DynamoException error) => error.IsServerError ? 500 : 400;

    /// <summary>The error as a whole response, for requests that never reach an operation (the admin port's).</summary>
    public static async Task WriteAsync(HttpResponse response, DynamoException error)
    {
        var body = new ArrayBufferWriter<byte>();
        Write(body, error);
        response.StatusCode = StatusCodeOf(error);
        response.ContentType = ContentTypes.AmzJson;
        await response.Body.WriteAsync(body.WrittenMemory);
    }

    public static void Write(IBufferWriter<byte> output, DynamoException error)
    {
        using var writer = new Utf8JsonWriter(output, DynamoJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString(TypeMember, QualifiedType(error.ErrorType));
        // UnknownOperationException and a body that is not JSON carry no message at all.
        // TransactionCanceledException spells it "Message" too, after its reasons.
        if (error.CancellationReasons is { } reasons) WriteReasons(writer, reasons);
        if (error.Message.Length > 0)
            writer.WriteString(error.ErrorType is DynamoErrorTypes.Serialization or DynamoErrorTypes.TransactionCanceled ? CoralMessageMember : MessageMember, error.Message);
        if (error.ThrottlingReasons is { } throttling)
        {
            writer.WritePropertyName(error.ErrorType == DynamoErrorTypes.Throttling ? ThrottlingReasonsLowerMember : ThrottlingReasonsMember);
            writer.WriteStartArray();
            foreach (var reason in throttling)
            {
                writer.WriteStartObject();
                writer.WriteString(ReasonMember, reason.Reason);
                writer.WriteString(ResourceMember, reason.Resource);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        // ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD.
        if (error.Item is not null)
        {
            writer.WritePropertyName(ItemMember);
            AttributeValueWriter.WriteItem(writer, error.Item);
        }
        writer.WriteEndObject();
    }

    /// <summary>One entry per action: <c>{"Code":"None"}</c> for one that passed (no Message), else its code, item and message.</summary>
    private static void WriteReasons(Utf8JsonWriter writer, IReadOnlyList<Operations.CancellationReason> reasons)
    {
        writer.WritePropertyName(ReasonsMember);
        writer.WriteStartArray();
        foreach (var reason in reasons)
        {
            writer.WriteStartObject();
            writer.WriteString(CodeMember, reason.Code);
            if (reason.Item is not null)
            {
                writer.WritePropertyName(ItemMember);
                AttributeValueWriter.WriteItem(writer, reason.Item);
            }
            if (reason.Message is not null) writer.WriteString(CoralMessageMember, reason.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static string QualifiedType(string errorType) => errorType switch
    {
        DynamoErrorTypes.Validation => CoralValidateNamespace + errorType,
        DynamoErrorTypes.Serialization or DynamoErrorTypes.UnknownOperation
            or DynamoErrorTypes.AccessDenied or DynamoErrorTypes.IncompleteSignature or DynamoErrorTypes.InvalidSignature
            or DynamoErrorTypes.MissingAuthenticationToken or DynamoErrorTypes.UnrecognizedClient => CoralServiceNamespace + errorType,
        DynamoErrorTypes.Throttling => CoralAvailabilityNamespace + errorType,
        _ => DynamoDbNamespace + errorType,
    };
}
