using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace OrleansDynamo.Server.Security;

/// <summary>
/// TLS on the Orleans ports with one cluster certificate. Between silos it is mutual: each side presents the certificate
/// and accepts only a peer that presents the same one, so nothing without the cluster's key joins or calls in. On the
/// gateway the silo presents it; clients, which trust exactly it, present none and prove who they are with their
/// credentials, per request, unless <c>--orleans-tls-client-cert</c> names the certificate every client must present
/// (mutual TLS on the gateway too: nothing without that key even connects).
/// </summary>
internal static class OrleansTls
{
    public static void Use(ISiloBuilder silo, X509Certificate2 clusterCertificate, X509Certificate2? clientCertificate)
    {
        var name = clusterCertificate.GetNameInfo(X509NameType.SimpleName, false);
        var betweenSilos = new TlsOptions
        {
            LocalCertificate = clusterCertificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (certificate, _, _) => certificate.Equals(clusterCertificate),
            OnAuthenticateAsClient = (_, authentication) => authentication.TargetHost = name,
        };
        var clientsPresent = clientCertificate is null ? RemoteCertificateMode.NoCertificate : RemoteCertificateMode.RequireCertificate;
        var gateway = new TlsOptions
        {
            LocalCertificate = clusterCertificate,
            RemoteCertificateMode = clientsPresent,
            ClientCertificateMode = clientsPresent,
            RemoteCertificateValidation = clientCertificate is null ? null : (certificate, _, _) => certificate.Equals(clientCertificate),
        };
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(betweenSilos));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(betweenSilos));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(gateway));
        });
    }
}
