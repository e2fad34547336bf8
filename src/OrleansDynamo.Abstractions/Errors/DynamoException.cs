using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Errors;

/// <summary>
/// A DynamoDB error: its type as DynamoDB names it (the part after <c>#</c> in <c>__type</c>) and
/// its message. Thrown anywhere on the request path, including inside grains, and turned into the
/// HTTP response or the AWS SDK exception at the edge.
/// </summary>
[GenerateSerializer, Alias("odyn.DynamoException")]
public sealed class DynamoException : Exception
{
    public DynamoException(string errorType, string message, Item? item = null, IReadOnlyList<CancellationReason>? cancellationReasons = null,
        IReadOnlyList<ThrottlingReason>? throttlingReasons = null)
        : base(message)
    {
        ErrorType = errorType;
        Item = item;
        CancellationReasons = cancellationReasons;
        ThrottlingReasons = throttlingReasons;
    }

    /// <summary>e.g. <c>ValidationException</c>, <c>ConditionalCheckFailedException</c>.</summary>
    [Id(0)] public string ErrorType { get; }

    /// <summary>The item returned with ReturnValuesOnConditionCheckFailure=ALL_OLD.</summary>
    [Id(1)] public Item? Item { get; }

    /// <summary>TransactionCanceledException's reasons: one per action of the transaction, in order.</summary>
    [Id(2)] public IReadOnlyList<CancellationReason>? CancellationReasons { get; }

    /// <summary>Why a request was throttled (ProvisionedThroughputExceededException, ThrottlingException), and on what.</summary>
    [Id(3)] public IReadOnlyList<ThrottlingReason>? ThrottlingReasons { get; }

    /// <summary>Whether the SDKs treat this as a server fault (HTTP 500) and retry it.</summary>
    public bool IsServerError => ErrorType is DynamoErrorTypes.InternalServerError;
}

/// <summary>DynamoDB's error type names.</summary>
public static class DynamoErrorTypes
{
    public const string Validation = "ValidationException";
    public const string Serialization = "SerializationException";
    public const string UnknownOperation = "UnknownOperationException";
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ResourceInUse = "ResourceInUseException";
    public const string ConditionalCheckFailed = "ConditionalCheckFailedException";
    public const string ItemCollectionSizeLimitExceeded = "ItemCollectionSizeLimitExceededException";
    public const string ProvisionedThroughputExceeded = "ProvisionedThroughputExceededException";
    public const string LimitExceeded = "LimitExceededException";
    public const string Throttling = "ThrottlingException";
    public const string TransactionConflict = "TransactionConflictException";
    public const string TransactionCanceled = "TransactionCanceledException";
    public const string TransactionInProgress = "TransactionInProgressException";
    public const string IdempotentParameterMismatch = "IdempotentParameterMismatchException";
    public const string InternalServerError = "InternalServerError";
    public const string TrimmedDataAccess = "TrimmedDataAccessException";
    public const string ExpiredIterator = "ExpiredIteratorException";
    public const string DuplicateItem = "DuplicateItemException";
    public const string TableNotFound = "TableNotFoundException";
    public const string TableAlreadyExists = "TableAlreadyExistsException";
    public const string TableInUse = "TableInUseException";
    public const string BackupNotFound = "BackupNotFoundException";
    public const string BackupInUse = "BackupInUseException";
    public const string PointInTimeRecoveryUnavailable = "PointInTimeRecoveryUnavailableException";
    public const string InvalidRestoreTime = "InvalidRestoreTimeException";
    public const string InvalidExportTime = "InvalidExportTimeException";
    public const string ExportNotFound = "ExportNotFoundException";
    public const string ExportConflict = "ExportConflictException";
    public const string ImportNotFound = "ImportNotFoundException";
    public const string ImportConflict = "ImportConflictException";
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
    public const string UnrecognizedClient = "UnrecognizedClientException";
    public const string InvalidSignature = "InvalidSignatureException";
    public const string IncompleteSignature = "IncompleteSignatureException";
    public const string AccessDenied = "AccessDeniedException";
}

/// <summary>
/// One reason for throttling, as DynamoDB names it: resource type, operation type and limit type, such as
/// <c>TableWriteProvisionedThroughputExceeded</c>; and the ARN of the table or index.
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.ThrottlingReason")]
public sealed record ThrottlingReason([property: Id(0)] string Reason, [property: Id(1)] string Resource);
