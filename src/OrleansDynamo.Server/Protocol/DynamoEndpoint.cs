using System.Globalization;
using System.IO.Hashing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// The DynamoDB JSON protocol over HTTP: <c>POST /</c> with <c>X-Amz-Target: DynamoDB_20120810.&lt;Operation&gt;</c>,
/// answered by the <see cref="IDynamoDb"/> registered in the request's services.
/// </summary>
/// <remarks>Checks come in DynamoDB's order (as recorded by dynalite's index.js): size, content type, JSON
/// syntax, target, then the operation's own types and values. Signatures are not checked.</remarks>
public static class DynamoEndpoint
{
    private const string TargetHeader = "X-Amz-Target";
    private const string RequestIdHeader = "x-amzn-RequestId";
    private const string Crc32Header = "x-amz-crc32";

    // What DynamoDB sends, with HTTP 404, for a request that is not DynamoDB JSON at all.
    private static readonly byte[] NotDynamoJsonBody = "<UnknownOperationException/>\n"u8.ToArray();

    /// <summary>
    /// Maps <c>POST /</c> to the DynamoDB operations and <c>GET /</c> to a health check, as DynamoDB answers it.
    /// Needs an <see cref="IDynamoDb"/> service.
    /// </summary>
    public static IEndpointRouteBuilder MapDynamoDb(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/", HandleAsync);
        endpoints.MapGet("/", WriteHealthAsync);
        return endpoints;
    }

    /// <summary>Answers one DynamoDB request. Internal for tests, which call it with a bare HttpContext.</summary>
    internal static async Task HandleAsync(HttpContext context)
    {
        var requestId = RequestIds.Next();
        context.Response.Headers[RequestIdHeader] = requestId;
        try
        {
            await ServeAsync(context, requestId).ConfigureAwait(false);
        }
        catch (Exception error) when ((error is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: nobody to answer, and nothing wrong on our side.
            DynamoEndpointLog.Aborted(LoggerOf(context), requestId);
        }
    }

    private static async Task ServeAsync(HttpContext context, string requestId)
    {
        var request = context.Request;
        using var body = await RequestBody.ReadAsync(request, RequestBody.MaxBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        if (body.WrittenCount > 0 && !ContentTypes.IsAccepted(request.ContentType))
        {
            await WriteAsync(context.Response, StatusCodes.Status404NotFound, null, NotDynamoJsonBody, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var output = new PooledBuffer(4096);
        var status = await ExecuteAsync(context, body.WrittenMemory, output, requestId).ConfigureAwait(false);
        await WriteAsync(context.Response, status, ContentTypes.ForResponse(request.ContentType), output.WrittenMemory, context.RequestAborted)
            .ConfigureAwait(false);
    }

    /// <summary>Runs the operation; writes its response or its error to <paramref name="output"/> and returns the status code.</summary>
    private static async Task<int> ExecuteAsync(HttpContext context, ReadOnlyMemory<byte> body, PooledBuffer output, string requestId)
    {
        var target = context.Request.Headers[TargetHeader].ToString();
        try
        {
            var operation = FindOperation(target, body.Span);
            var dynamoDb = context.RequestServices.GetRequiredService<IDynamoDb>();
            await operation.InvokeAsync(dynamoDb, body, output, HostOf(context.Request), context.RequestAborted).ConfigureAwait(false);
            return StatusCodes.Status200OK;
        }
        catch (DynamoException error)
        {
            if (error.IsServerError) DynamoEndpointLog.ServerError(LoggerOf(context), error, requestId, target);
            return WriteError(output, error);
        }
        catch (Exception error) when (!(error is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            // Anything else is our fault: log it whole, tell the client no more than DynamoDB would.
            DynamoEndpointLog.InternalError(LoggerOf(context), error, requestId, target);
            return WriteError(output, DynamoErrors.InternalServerError());
        }
    }

    private static DynamoOperation FindOperation(string target, ReadOnlySpan<byte> body)
    {
        if (!OperationTable.TryFind(target, out var operation))
            // DynamoDB parses the body before it reads the target.
            throw body.Length > 0 && !DynamoJson.IsWellFormed(body) ? DynamoErrors.MalformedRequest() : DynamoErrors.UnknownOperation();
        if (body.Length == 0) throw DynamoErrors.MalformedRequest();
        return operation;
    }

    private static int WriteError(PooledBuffer output, DynamoException error)
    {
        output.Clear(); // drop a response that was cut short
        ErrorWriter.Write(output, error);
        return ErrorWriter.StatusCodeOf(error);
    }

    private static Task WriteAsync(HttpResponse response, int status, string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        if (contentType is not null) response.ContentType = contentType;
        response.ContentLength = body.Length;
        // The SDKs check the body against this checksum and retry on a mismatch.
        response.Headers[Crc32Header] = Crc32.HashToUInt32(body.Span).ToString(CultureInfo.InvariantCulture);
        return response.Body.WriteAsync(body, cancellationToken).AsTask();
    }

    /// <summary>DynamoDB's health check: <c>healthy: &lt;host&gt;</c>, with the host the request was sent to.</summary>
    private static Task WriteHealthAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("healthy: " + HostOf(context.Request), context.RequestAborted);
    }

    /// <summary>The host name (and port, when not the scheme's own) the request was sent to.</summary>
    private static string HostOf(HttpRequest request) => request.Host.HasValue ? request.Host.Value! : "localhost";

    private static ILogger LoggerOf(HttpContext context) =>
        context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(DynamoEndpointLog.Category) ?? NullLogger.Instance;
}
