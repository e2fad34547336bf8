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
    public abstract Task InvokeAsync(IDynamoDb dynamoDb, ReadOnlyMemory<byte> body, IBufferWriter<byte> response, CancellationToken cancellationToken);
}

internal sealed class DynamoOperation<TRequest, TResponse>(
    string name, Func<IDynamoDb, TRequest, CancellationToken, Task<TResponse>> call) : DynamoOperation(name)
    where TRequest : class
{
    private readonly JsonTypeInfo<TRequest> _requestType = DynamoJson.RequestType<TRequest>();
    private readonly JsonTypeInfo<TResponse> _responseType = DynamoJson.ResponseType<TResponse>();

    public override async Task InvokeAsync(IDynamoDb dynamoDb, ReadOnlyMemory<byte> body, IBufferWriter<byte> response, CancellationToken cancellationToken)
    {
        var request = DynamoJson.ReadRequest(body.Span, _requestType);
        var result = await call(dynamoDb, request, cancellationToken).ConfigureAwait(false);
        DynamoJson.WriteResponse(response, result, _responseType);
    }
}
