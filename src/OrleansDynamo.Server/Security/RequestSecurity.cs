using OrleansDynamo.Security;

namespace OrleansDynamo.Server.Security;

/// <summary>
/// What <c>--auth sigv4</c> adds to the DynamoDB endpoint: who sent a request (its SigV4 signature), and whether
/// that principal may make it (its policy). Registered only when authentication is on.
/// </summary>
public sealed class RequestSecurity(SigV4Verifier verifier, RequestAuthorizer authorizer)
{
    public Principal Authenticate(HttpRequest request, ReadOnlySpan<byte> body) => verifier.Verify(request, body);

    public void Authorize(Principal principal, string operation, object request) => authorizer.Authorize(principal, operation, request);
}
