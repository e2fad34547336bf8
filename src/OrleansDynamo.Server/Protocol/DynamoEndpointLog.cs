using Microsoft.Extensions.Logging;

namespace OrleansDynamo.Server.Protocol;

internal static partial class DynamoEndpointLog
{
    public const string Category = "OrleansDynamo.Server.Protocol.DynamoEndpoint";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "DynamoDB request {RequestId} ({Target}) failed with an internal error")]
    public static partial void InternalError(ILogger logger, Exception exception, string requestId, string target);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "DynamoDB request {RequestId} ({Target}) answered InternalServerError")]
    public static partial void ServerError(ILogger logger, Exception exception, string requestId, string target);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "DynamoDB request {RequestId} was aborted by the client")]
    public static partial void Aborted(ILogger logger, string requestId);
}
