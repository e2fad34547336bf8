using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace OrleansDynamo.Server.Security;

/// <summary>
/// TLS on the Orleans ports with one cluster certificate. Between silos it is mutual: each side presents the certificate
/// and accepts only a peer that presents the same one, so nothing without the cluster's key joins or calls in. On the
/// gateway the silo presents it and clients, which trust exactly it, present none: they prove who they are with their
/// credentials, per request.
/// </summary>
internal static class OrleansTls
{
    public static void Use(ISiloBuilder silo, X509Certificate2 clusterCertificate)
    {
        var name = clusterCertificate.GetNameInfo(X509NameType.SimpleName, false);
        var betweenSilos = new TlsOptions
        {
            LocalCertificate = clusterCertificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (certificate, _, _) => certificate.Equals(clusterCertificate),
            OnAuthenticateAsClient = (_, authentication) => authentication.TargetHost = name,
        };
        var gateway = new TlsOptions
        {
            LocalCertificate = clusterCertificate,
            RemoteCertificateMode = RemoteCertificateMode.NoCertificate,
            ClientCertificateMode = RemoteCertificateMode.NoCertificate,
        };
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(betweenSilos));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(betweenSilos));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(gateway));
        });
    }
}
