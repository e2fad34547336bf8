using OrleansDynamo.Errors;

namespace OrleansDynamo.Security;

/// <summary>
/// Decides whether a principal may make a request: every permission the request needs (<see cref="RequestResources"/>)
/// must be allowed by the principal's policy, and none explicitly denied; otherwise AccessDeniedException for the
/// first one that is not. The HTTP endpoint and the silo's gate for Orleans clients both ask here.
/// </summary>
public sealed class RequestAuthorizer(RequestResources resources)
{
    public RequestResources Resources => resources;

    public void Authorize(Principal principal, string operation, object request) => Authorize(principal, resources.Of(operation, request));

    /// <summary>For a request to the admin port: <c>odyn:Admin</c> on the account's admin ARN.</summary>
    public void AuthorizeAdmin(Principal principal) => Authorize(principal, [new Permission(RequestResources.AdminAction, resources.AdminArn)]);

    private void Authorize(Principal principal, IReadOnlyList<Permission> permissions)
    {
        Permission? refused = null;
        foreach (var permission in permissions)
        {
            switch (principal.Policy.Evaluate(permission.Action, permission.Resource))
            {
                case AccessPolicy.Decision.ExplicitlyDenied:
                    throw DynamoErrors.AccessDenied(resources.UserArn(principal.Name), permission.Action, permission.Resource, explicitDeny: true);
                case AccessPolicy.Decision.NotAllowed:
                    refused ??= permission;
                    break;
            }
        }
        if (refused is { } first) throw DynamoErrors.AccessDenied(resources.UserArn(principal.Name), first.Action, first.Resource, explicitDeny: false);
    }
}
