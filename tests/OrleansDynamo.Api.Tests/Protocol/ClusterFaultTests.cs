using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using OrleansDynamo.Operations;
using OrleansDynamo.Server.Protocol;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// A grain call lost with a dead silo must come back as HTTP 500 InternalServerError, which the AWS SDKs
/// retry, and never as a 400 that they would hand to the application.
/// </summary>
public class ClusterFaultTests
{
    public static TheoryData<Exception> LostCalls() =>
    [
        new TimeoutException("Response did not arrive on time"),
        new SiloUnavailableException("The silo is dead"),
        // Orleans raises this one itself only; its constructor is not public.
        (Exception)Activator.CreateInstance(typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance,
            null, ["Target silo is unavailable"], null)!,
        new OrleansException("Forwarding failed"),
        new GatewayTooBusyException(),
    ];

    [Theory]
    [MemberData(nameof(LostCalls))]
    public async Task A_call_lost_with_a_silo_is_answered_with_InternalServerError(Exception lost)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton(FailingDynamoDb.Create(lost)).BuildServiceProvider(),
        };
        context.Request.Method = "POST";
        context.Request.ContentType = ContentTypes.AmzJson;
        context.Request.Headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem";
        var body = """{"TableName":"t","Item":{"id":{"S":"a"}}}"""u8.ToArray();
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        var response = new MemoryStream();
        context.Response.Body = response;

        await DynamoEndpoint.HandleAsync(context);

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("""{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""",
            Encoding.UTF8.GetString(response.ToArray()));
    }

    /// <summary>An <see cref="IDynamoDb"/> whose every operation fails with one exception.</summary>
    public class FailingDynamoDb : DispatchProxy
    {
        private Exception _error = null!;

        public static IDynamoDb Create(Exception error)
        {
            var proxy = Create<IDynamoDb, FailingDynamoDb>();
            ((FailingDynamoDb)(object)proxy)._error = error;
            return proxy;
        }

        protected override object Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var resultType = targetMethod!.ReturnType.GetGenericArguments()[0];
            var fromException = typeof(Task).GetMethods()
                .Single(m => m is { Name: nameof(Task.FromException), IsGenericMethod: true })
                .MakeGenericMethod(resultType);
            return fromException.Invoke(null, [_error])!;
        }
    }
}
