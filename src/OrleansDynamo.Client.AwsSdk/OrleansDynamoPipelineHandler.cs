using Amazon.Runtime;
using Amazon.Runtime.Internal;
using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>
/// The innermost stage of the SDK client's pipeline, in place of marshalling, signing and HTTP: hands the SDK's
/// request object to <see cref="IDynamoDb"/> and puts the SDK's response object (or exception) in its place.
/// </summary>
internal sealed class OrleansDynamoPipelineHandler(IDynamoDb dynamoDb) : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext) =>
        // Only the SDK's synchronous API (not offered on .NET Core) comes here.
        Task.Run(() => DispatchAsync(executionContext)).GetAwaiter().GetResult();

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext) =>
        (T)await DispatchAsync(executionContext).ConfigureAwait(false);

    private async Task<AmazonWebServiceResponse> DispatchAsync(IExecutionContext executionContext)
    {
        var context = executionContext.RequestContext;
        AmazonWebServiceResponse response;
        try
        {
            response = await AwsOperationTable.InvokeAsync(dynamoDb, context.OriginalRequest, context.CancellationToken).ConfigureAwait(false);
        }
        catch (DynamoException error)
        {
            throw AwsErrors.ToSdk(error);
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            throw AwsErrors.Unavailable(error);
        }
        executionContext.ResponseContext.Response = response;
        return response;
    }
}
