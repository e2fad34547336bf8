using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using OrleansDynamo.Errors;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>
/// Turns a <see cref="DynamoException"/> into the exception the AWS SDK throws for the same error received over
/// HTTP: the modeled exception type where the SDK has one (ConditionalCheckFailedException with its Item,
/// ResourceNotFoundException, ...), else <see cref="AmazonDynamoDBException"/> with the error code
/// (ValidationException, UnknownOperationException, SerializationException).
/// </summary>
internal static class AwsErrors
{
    public static string NewRequestId() => Guid.NewGuid().ToString("N");

    public static AmazonDynamoDBException ToSdk(DynamoException error)
    {
        var (type, status) = error.IsServerError
            ? (ErrorType.Receiver, HttpStatusCode.InternalServerError)
            : (ErrorType.Sender, HttpStatusCode.BadRequest);
        var message = error.Message;
        var code = error.ErrorType;
        var requestId = NewRequestId();
        return code switch
        {
            DynamoErrorTypes.ConditionalCheckFailed => new Sdk.ConditionalCheckFailedException(message, error, type, code, requestId, status)
            {
                Item = AwsValues.Item(error.Item),
            },
            DynamoErrorTypes.ResourceNotFound => new Sdk.ResourceNotFoundException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ResourceInUse => new Sdk.ResourceInUseException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ItemCollectionSizeLimitExceeded => new Sdk.ItemCollectionSizeLimitExceededException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ProvisionedThroughputExceeded => new Sdk.ProvisionedThroughputExceededException(message, error, type, code, requestId, status),
            DynamoErrorTypes.LimitExceeded => new Sdk.LimitExceededException(message, error, type, code, requestId, status),
            DynamoErrorTypes.TransactionConflict => new Sdk.TransactionConflictException(message, error, type, code, requestId, status),
            DynamoErrorTypes.TransactionCanceled => new Sdk.TransactionCanceledException(message, error, type, code, requestId, status)
            {
                CancellationReasons = error.CancellationReasons?.Select(r => new Sdk.CancellationReason
                {
                    Code = r.Code,
                    Message = r.Message,
                    Item = AwsValues.Item(r.Item),
                }).ToList() ?? [],
            },
            DynamoErrorTypes.TransactionInProgress => new Sdk.TransactionInProgressException(message, error, type, code, requestId, status),
            DynamoErrorTypes.IdempotentParameterMismatch => new Sdk.IdempotentParameterMismatchException(message, error, type, code, requestId, status),
            DynamoErrorTypes.DuplicateItem => new Sdk.DuplicateItemException(message, error, type, code, requestId, status),
            DynamoErrorTypes.TableNotFound => new Sdk.TableNotFoundException(message, error, type, code, requestId, status),
            DynamoErrorTypes.TableAlreadyExists => new Sdk.TableAlreadyExistsException(message, error, type, code, requestId, status),
            DynamoErrorTypes.TableInUse => new Sdk.TableInUseException(message, error, type, code, requestId, status),
            DynamoErrorTypes.BackupNotFound => new Sdk.BackupNotFoundException(message, error, type, code, requestId, status),
            DynamoErrorTypes.BackupInUse => new Sdk.BackupInUseException(message, error, type, code, requestId, status),
            DynamoErrorTypes.PointInTimeRecoveryUnavailable => new Sdk.PointInTimeRecoveryUnavailableException(message, error, type, code, requestId, status),
            DynamoErrorTypes.InvalidRestoreTime => new Sdk.InvalidRestoreTimeException(message, error, type, code, requestId, status),
            DynamoErrorTypes.InvalidExportTime => new Sdk.InvalidExportTimeException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ExportNotFound => new Sdk.ExportNotFoundException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ExportConflict => new Sdk.ExportConflictException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ImportNotFound => new Sdk.ImportNotFoundException(message, error, type, code, requestId, status),
            DynamoErrorTypes.ImportConflict => new Sdk.ImportConflictException(message, error, type, code, requestId, status),
            DynamoErrorTypes.InternalServerError => new Sdk.InternalServerErrorException(message, error, type, code, requestId, status),
            _ => new AmazonDynamoDBException(message, error, type, code, requestId, status),
        };
    }

    /// <summary>
    /// A failure of the Orleans connection itself (no gateway, a silo that died with the call, a timeout): the
    /// service did not answer, which the SDK reports over HTTP as 503 ServiceUnavailable.
    /// </summary>
    public static AmazonDynamoDBException Unavailable(Exception error) =>
        new($"OrleansDynamo did not answer: {error.Message}", error, ErrorType.Receiver, "ServiceUnavailable", NewRequestId(), HttpStatusCode.ServiceUnavailable);
}
