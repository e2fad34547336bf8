using OrleansDynamo.Errors;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Security;

/// <summary>
/// With credentials checked, a client connection reaches OrleansDynamo only through <see cref="IRequestGateGrain"/>:
/// a call from a client to any other OrleansDynamo grain (a partition's <c>PutItem</c> that skips the policy, a
/// table's <c>Drop</c>, a split's <c>CommitSplit</c>) is refused with MissingAuthenticationTokenException, as an
/// unsigned HTTP request is. Calls between grains, and from grains co-hosted in the silo, are trusted; so are calls
/// to grains that are not OrleansDynamo's.
/// </summary>
internal sealed class ClientCallFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.SourceId is { } source && IsExternalClient(source) && IsInternal(context.InterfaceMethod.DeclaringType))
            throw DynamoErrors.MissingAuthenticationToken();
        return context.Invoke();
    }

    /// <summary>
    /// A client connected to a gateway. A silo's own hosted client (key <c>hosted-{silo}</c>), through which the HTTP
    /// endpoint and other code outside grains in the silo call, is inside the silo and trusted.
    /// </summary>
    private static bool IsExternalClient(GrainId source) =>
        GrainTypePrefix.IsClient(source) && !source.Key.AsSpan().StartsWith("hosted-"u8);

    private static bool IsInternal(Type? grainInterface) =>
        grainInterface != typeof(IRequestGateGrain) && grainInterface?.Namespace?.StartsWith("OrleansDynamo", StringComparison.Ordinal) == true;
}
