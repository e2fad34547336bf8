using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Server.Protocol;

/// <summary>One DynamoDB operation as the endpoint sees it: bytes in, a call on <see cref="IDynamoDb"/>, bytes out.</summary>
internal abstract class DynamoOperation(string name)
{
    /// <summary>DynamoDB's name, e.g. <c>PutItem</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Reads the request, calls the operation and writes the response JSON to <paramref name="response"/>.
    /// Throws <see cref="Errors.DynamoException"/> for anything DynamoDB reports as an error.</summary>
    /// <param name="host">The host name the request was sent to.</param>
    /// <param name="beforeRun">Called with the request once read, before it runs: metrics note its table, authorization throws to refuse it.</param>
    public abstract Task InvokeAsync(IDynamoDb dynamoDb, ReadOnlyMemory<byte> body, IBufferWriter<byte> response, string host,
        Action<string, object>? beforeRun, CancellationToken cancellationToken);
}

/// <param name="withHost">For an operation that answers with the server's address: gives the request the host it was sent to.</param>
/// <param name="emptyBody">For an operation DynamoDB answers with an empty body (TagResource, UntagResource).</param>
internal sealed class DynamoOperation<TRequest, TResponse>(
    string name, Func<IDynamoDb, TRequest, CancellationToken, Task<TResponse>> call, Func<TRequest, string, TRequest>? withHost = null,
    bool emptyBody = false) : DynamoOperation(name)
    where TRequest : class
{
    private readonly JsonTypeInfo<TRequest> _requestType = DynamoJson.RequestType<TRequest>();
    private readonly JsonTypeInfo<TResponse> _responseType = DynamoJson.ResponseType<TResponse>();

    public override async Task InvokeAsync(IDynamoDb dynamoDb, ReadOnlyMemory<byte> body, IBufferWriter<byte> response, string host,
        Action<string, object>? beforeRun, CancellationToken cancellationToken)
    {
        var request = DynamoJson.ReadRequest(body.Span, _requestType);
        if (withHost is not null) request = withHost(request, host);
        beforeRun?.Invoke(Name, request);
        var result = await call(dynamoDb, request, cancellationToken).ConfigureAwait(false);
        if (!emptyBody) DynamoJson.WriteResponse(response, result, _responseType);
    }
}
