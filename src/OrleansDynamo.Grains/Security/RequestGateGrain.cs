using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Security;

/// <summary>
/// Runs an Orleans client's request on the silo's own request path, after checking who sent it when the silo checks
/// credentials (<see cref="SecuritySiloBuilderExtensions.AddOrleansDynamoSecurity"/>): the proof, then the
/// principal's policy, exactly as the HTTP endpoint checks a signature and then the policy. Without those checks
/// configured it runs every request, as the HTTP endpoint does with <c>--auth none</c>.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class RequestGateGrain(IDynamoDb dynamoDb, IServiceProvider services) : Grain, IRequestGateGrain
{
    private readonly ClientProofVerifier? _verifier = services.GetService<ClientProofVerifier>();
    private readonly RequestAuthorizer? _authorizer = services.GetService<RequestAuthorizer>();

    public async Task<object> Invoke(ClientProof proof, object request)
    {
        if (request is null) throw DynamoErrors.UnknownOperation();
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var operation = DynamoDbRequests.OperationOf(request);
        string? errorType = null;
        try
        {
            if (_verifier is not null) _authorizer?.Authorize(_verifier.Verify(proof), operation, request);
            return await (DynamoDbRequests.TryInvoke(dynamoDb, request) ?? throw DynamoErrors.UnknownOperation());
        }
        catch (DynamoException error)
        {
            errorType = error.ErrorType;
            throw;
        }
        finally
        {
            Hosting.OrleansDynamoTelemetry.RecordRequest(operation, Hosting.OrleansDynamoTelemetry.TableOf(request), errorType, startedAt);
        }
    }
}
