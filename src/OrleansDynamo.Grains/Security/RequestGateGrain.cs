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

    public Task<object> Invoke(ClientProof proof, object request)
    {
        if (request is null) throw DynamoErrors.UnknownOperation();
        if (_verifier is not null) _authorizer?.Authorize(_verifier.Verify(proof), DynamoDbRequests.OperationOf(request), request);
        return DynamoDbRequests.TryInvoke(dynamoDb, request) ?? throw DynamoErrors.UnknownOperation();
    }
}
