using OrleansDynamo.Hosting;
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
/// syntax, target, the signature (with <c>--auth sigv4</c>), then the operation's own types and values, the
/// principal's policy, and the operation itself.</remarks>
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
        endpoints.MapMethods("/", [HttpMethods.Options], AnswerPreflight);
        return endpoints;
    }

    /// <summary>Answers one DynamoDB request. Internal for tests, which call it with a bare HttpContext.</summary>
    internal static async Task HandleAsync(HttpContext context)
    {
        var requestId = RequestIds.Next();
        context.Response.Headers[RequestIdHeader] = requestId;
        AllowCrossOrigin(context);
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
        PooledBuffer? body;
        try
        {
            var read = await RequestBody.ReadAsync(request, RequestBody.MaxBytes, context.RequestAborted).ConfigureAwait(false);
            body = read is null ? null : ContentEncodings.Decode(request, read, RequestBody.MaxBytes);
        }
        catch (Exception error) when (error is InvalidDataException or NotSupportedException)
        {
            // A body that does not decode is as unreadable as broken JSON.
            using var answer = new PooledBuffer(256);
            var errorStatus = WriteError(answer, DynamoErrors.MalformedRequest());
            await WriteAsync(context, errorStatus, ContentTypes.ForResponse(request.ContentType), answer.WrittenMemory).ConfigureAwait(false);
            return;
        }
        using var _ = body;
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        if (body.WrittenCount > 0 && !ContentTypes.IsAccepted(request.ContentType))
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, null, NotDynamoJsonBody).ConfigureAwait(false);
            return;
        }

        using var output = new PooledBuffer(4096);
        var status = await ExecuteAsync(context, body.WrittenMemory, output, requestId, Authorizer).ConfigureAwait(false);
        await WriteAsync(context, status, ContentTypes.ForResponse(request.ContentType), output.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>Checks a request's right to run, from its raw body: returns the check of each operation it makes, or null for none.</summary>
    private delegate Action<string, object>? Authorization(HttpContext context, ReadOnlySpan<byte> body);

    /// <summary>
    /// One DynamoDB request from the web console (<c>POST /console/api</c>, the target in <c>X-Amz-Target</c>): run as
    /// an HTTP request is, but authorized as the console's signed-in <paramref name="principal"/> (null: no authentication).
    /// </summary>
    internal static async Task HandleConsoleAsync(HttpContext context, OrleansDynamo.Security.Principal? principal)
    {
        var requestId = RequestIds.Next();
        context.Response.Headers[RequestIdHeader] = requestId;
        using var body = await RequestBody.ReadAsync(context.Request, RequestBody.MaxBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        using var output = new PooledBuffer(4096);
        var status = await ExecuteAsync(context, body.WrittenMemory, output, requestId, (ctx, _) =>
        {
            if (principal is null) return null;
            var authorizer = ctx.RequestServices.GetRequiredService<OrleansDynamo.Security.RequestAuthorizer>();
            return (operation, request) => authorizer.Authorize(principal, operation, request);
        }).ConfigureAwait(false);
        await WriteAsync(context, status, ContentTypes.ForResponse(null), output.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>Runs the operation; writes its response or its error to <paramref name="output"/> and returns the status code.</summary>
    private static async Task<int> ExecuteAsync(HttpContext context, ReadOnlyMemory<byte> body, PooledBuffer output, string requestId, Authorization authorization)
    {
        var target = context.Request.Headers[TargetHeader].ToString();
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        string operationName = "unknown", table = "";
        string? errorType = null;
        try
        {
            var operation = FindOperation(target, body.Span);
            operationName = operation.Name;
            var dynamoDb = context.RequestServices.GetRequiredService<IDynamoDb>();
            var authorize = authorization(context, body.Span);
            await operation.InvokeAsync(dynamoDb, body, output, HostOf(context.Request), (name, request) =>
                {
                    table = OrleansDynamoTelemetry.TableOf(request) ?? "";
                    authorize?.Invoke(name, request);
                }, context.RequestAborted)
                .ConfigureAwait(false);
            return StatusCodes.Status200OK;
        }
        catch (DynamoException error)
        {
            errorType = error.ErrorType;
            if (error.IsServerError) DynamoEndpointLog.ServerError(LoggerOf(context), error, requestId, target);
            return WriteError(output, error);
        }
        catch (Exception error) when (!(error is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            // Anything else is our fault: log it whole, tell the client no more than DynamoDB would.
            DynamoEndpointLog.InternalError(LoggerOf(context), error, requestId, target);
            var internalError = DynamoErrors.InternalServerError();
            errorType = internalError.ErrorType;
            return WriteError(output, internalError);
        }
        finally
        {
            OrleansDynamoTelemetry.RecordRequest(operationName, table, errorType, startedAt);
        }
    }

    /// <summary>With <c>--auth sigv4</c>: checks the signature now, and returns the check of the principal's policy.</summary>
    private static Action<string, object>? Authorizer(HttpContext context, ReadOnlySpan<byte> body)
    {
        if (context.RequestServices.GetService<Security.SigV4Verifier>() is not { } verifier) return null;
        var principal = verifier.Verify(context.Request, body);
        var authorizer = context.RequestServices.GetRequiredService<OrleansDynamo.Security.RequestAuthorizer>();
        return (operation, request) => authorizer.Authorize(principal, operation, request);
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

    private static Task WriteAsync(HttpContext context, int status, string? contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (contentType is not null) response.ContentType = contentType;
        if (body.Length >= ContentEncodings.MinCompressedBytes && ContentEncodings.AcceptsGzip(context.Request))
        {
            body = ContentEncodings.Gzip(body.Span);
            response.Headers.ContentEncoding = "gzip";
        }
        response.ContentLength = body.Length;
        // The SDKs check the bytes they receive against this checksum and retry on a mismatch.
        response.Headers[Crc32Header] = Crc32.HashToUInt32(body.Span).ToString(CultureInfo.InvariantCulture);
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>CORS, as DynamoDB answers browsers: any origin, and the headers an SDK reads exposed.</summary>
    private static void AllowCrossOrigin(HttpContext context)
    {
        if (!context.Request.Headers.ContainsKey("Origin")) return;
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.AccessControlExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-crc32,Date";
    }

    /// <summary>A CORS preflight: the method and headers asked for are allowed, for two days.</summary>
    private static void AnswerPreflight(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = context.Request.Headers.AccessControlRequestMethod.Count > 0
            ? context.Request.Headers.AccessControlRequestMethod.ToString()
            : "GET, POST, OPTIONS";
        if (context.Request.Headers.AccessControlRequestHeaders.Count > 0)
            headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders.ToString();
        headers.AccessControlMaxAge = "172800";
        headers[RequestIdHeader] = RequestIds.Next();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    /// <summary>DynamoDB's health check: <c>healthy: &lt;host&gt;</c>, with the host the request was sent to.</summary>
    private static Task WriteHealthAsync(HttpContext context)
    {
        AllowCrossOrigin(context);
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("healthy: " + HostOf(context.Request), context.RequestAborted);
    }

    /// <summary>The host name (and port, when not the scheme's own) the request was sent to.</summary>
    private static string HostOf(HttpRequest request) => request.Host.HasValue ? request.Host.Value! : "localhost";

    private static ILogger LoggerOf(HttpContext context) =>
        context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(DynamoEndpointLog.Category) ?? NullLogger.Instance;
}
