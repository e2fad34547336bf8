using System.Net;
using Amazon.Runtime;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>One DynamoDB operation as the adapter sees it: the SDK's request object in, a call on <see cref="IDynamoDb"/>, the SDK's response out.</summary>
internal abstract class AwsOperation
{
    public abstract Type RequestType { get; }

    public abstract Task<AmazonWebServiceResponse> InvokeAsync(IDynamoDb dynamoDb, AmazonWebServiceRequest request, CancellationToken cancellationToken);

    public static AwsOperation Create<TSdkRequest, TRequest, TResponse, TSdkResponse>(
        Func<TSdkRequest, TRequest> toModel,
        Func<IDynamoDb, TRequest, CancellationToken, Task<TResponse>> call,
        Func<TResponse, TSdkResponse> toSdk)
        where TSdkRequest : AmazonWebServiceRequest
        where TSdkResponse : AmazonWebServiceResponse =>
        new Typed<TSdkRequest, TRequest, TResponse, TSdkResponse>(toModel, call, toSdk);

    private sealed class Typed<TSdkRequest, TRequest, TResponse, TSdkResponse>(
        Func<TSdkRequest, TRequest> toModel,
        Func<IDynamoDb, TRequest, CancellationToken, Task<TResponse>> call,
        Func<TResponse, TSdkResponse> toSdk) : AwsOperation
        where TSdkRequest : AmazonWebServiceRequest
        where TSdkResponse : AmazonWebServiceResponse
    {
        public override Type RequestType => typeof(TSdkRequest);

        public override async Task<AmazonWebServiceResponse> InvokeAsync(IDynamoDb dynamoDb, AmazonWebServiceRequest request, CancellationToken cancellationToken)
        {
            var response = toSdk(await call(dynamoDb, toModel((TSdkRequest)request), cancellationToken).ConfigureAwait(false));
            response.HttpStatusCode = HttpStatusCode.OK;
            response.ResponseMetadata = new ResponseMetadata { RequestId = AwsErrors.NewRequestId() };
            return response;
        }
    }
}
