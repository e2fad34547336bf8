using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;
using OrleansDynamo.Client.Security;
using OrleansDynamo.Security;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.Hosting;

/// <summary>
/// Registers the OrleansDynamo client: <see cref="IDynamoDb"/> over the host's Orleans client (or, in a silo,
/// over the silo's own grain factory), and the Orleans client settings that reach an OrleansDynamo cluster.
/// </summary>
/// <example>
/// <code>
/// builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([new IPEndPoint(IPAddress.Loopback, 30000)]));
/// // then inject IDynamoDb anywhere
/// </code>
/// </example>
public static class OrleansDynamoClientExtensions
{
    /// <summary>
    /// Registers <see cref="IDynamoDb"/> as a <see cref="DynamoDbClient"/> over the registered <see cref="IGrainFactory"/>
    /// (an Orleans client's, or a silo's). Does nothing when an <see cref="IDynamoDb"/> is already registered.
    /// </summary>
    public static IServiceCollection AddOrleansDynamoClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IDynamoDb>(sp => new DynamoDbClient(sp.GetRequiredService<IGrainFactory>()));
        return services;
    }

    /// <summary>
    /// Connects this Orleans client to OrleansDynamo silos through a fixed list of gateways (the server's
    /// <c>--gateway-port</c>, 30000 by default), and registers <see cref="IDynamoDb"/>.
    /// </summary>
    public static IClientBuilder UseOrleansDynamoGateways(this IClientBuilder builder, IEnumerable<IPEndPoint> gateways,
        Action<OrleansDynamoClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var endpoints = gateways.ToArray();
        if (endpoints.Length == 0) throw new ArgumentException("At least one gateway endpoint is needed", nameof(gateways));
        builder.UseStaticClustering(endpoints);
        return builder.UseOrleansDynamoCluster(configure);
    }

    /// <summary>
    /// The cluster identity and call timeout of an OrleansDynamo cluster, and <see cref="IDynamoDb"/>, for a client whose
    /// clustering is configured some other way.
    /// </summary>
    public static IClientBuilder UseOrleansDynamoCluster(this IClientBuilder builder, Action<OrleansDynamoClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new OrleansDynamoClientOptions();
        configure?.Invoke(options);
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        if (options.TlsServerCertificate is { } serverCertificate) UseTls(builder, serverCertificate, options.TlsClientCertificate);
        if (options.Credentials is { } credentials)
            builder.Services.TryAddSingleton<IDynamoDb>(sp => new GatedDynamoDbClient(
                sp.GetRequiredService<IGrainFactory>(), new ClientProofSigner(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, options.Region, TimeProvider.System)));
        builder.Services.AddOrleansDynamoClient();
        return builder;
    }

    /// <summary>TLS to the gateways, trusting exactly the certificate the silos present (a cluster's own, often self-signed).</summary>
    private static void UseTls(IClientBuilder builder, X509Certificate2 serverCertificate, X509Certificate2? clientCertificate)
    {
        builder.UseTls(tls =>
        {
            tls.LocalCertificate = clientCertificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (certificate, _, _) => certificate.Equals(serverCertificate);
            tls.OnAuthenticateAsClient = (_, authentication) => authentication.TargetHost = serverCertificate.GetNameInfo(X509NameType.SimpleName, false);
        });
    }
}
