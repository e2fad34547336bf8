using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using OrleansDynamo.Hosting;

namespace OrleansDynamo.Security;

public static class SecuritySiloBuilderExtensions
{
    /// <summary>
    /// Checks who calls, in a silo that hosts OrleansDynamo: Orleans clients must come through the request gate with a
    /// proof made from a key of <paramref name="credentials"/>, and every request, HTTP or Orleans, is held against the
    /// principal's policy. Signatures and ARNs use the region and account of <see cref="OrleansDynamoOptions"/>.
    /// </summary>
    public static ISiloBuilder AddOrleansDynamoSecurity(this ISiloBuilder builder, CredentialStore credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var services = builder.Services;
        services.AddSingleton(credentials);
        services.AddSingleton(provider => new SigningKeys(Dynamo(provider).Region));
        services.AddSingleton(provider => new ClientProofVerifier(credentials, provider.GetRequiredService<SigningKeys>(), TimeProvider.System));
        services.AddSingleton(provider => new RequestAuthorizer(new RequestResources(Dynamo(provider).Region, Dynamo(provider).AccountId)));
        builder.AddIncomingGrainCallFilter<ClientCallFilter>();
        return builder;
    }

    private static OrleansDynamoOptions Dynamo(IServiceProvider provider) => provider.GetRequiredService<IOptions<OrleansDynamoOptions>>().Value;
}
