using System.Security.Cryptography.X509Certificates;
using OrleansDynamo.Client.Security;

namespace OrleansDynamo.Client.Hosting;

/// <summary>How an Orleans client reaches an OrleansDynamo cluster.</summary>
public sealed class OrleansDynamoClientOptions
{
    /// <summary>The cluster id the silos run with; the server's <c>--cluster-id</c>, <c>orleansdynamo</c> by default.</summary>
    public string ClusterId { get; set; } = "orleansdynamo";

    /// <summary>The service id the silos run with; the server uses its cluster id for both.</summary>
    public string ServiceId { get; set; } = "orleansdynamo";

    /// <summary>
    /// How long a call waits for its answer. Short, so that a call lost with a dead silo fails fast
    /// (Orleans' own default is 30 seconds); a DynamoDB request normally answers in milliseconds.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The access key to prove this client with, for silos that check credentials (the server's <c>--auth sigv4</c>, the
    /// default with <c>--cluster postgres</c>). With one, every request goes through the silos' request gate, which
    /// applies the key's policy; without, requests go straight to the partitions, as silos without checks allow.
    /// </summary>
    public OrleansDynamoCredentials? Credentials { get; set; }

    /// <summary>The region the silos run in (the server's <c>--region</c>); the client's proof is signed for it.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// For silos that talk TLS (the server's <c>--orleans-tls-cert</c>): the certificate they present, which this client
    /// trusts and nothing else. Null for plain TCP.
    /// </summary>
    public X509Certificate2? TlsServerCertificate { get; set; }

    /// <summary>
    /// For silos that require a client certificate on the gateway (the server's <c>--orleans-tls-client-cert</c>): that
    /// certificate, with its private key. Needs <see cref="TlsServerCertificate"/>.
    /// </summary>
    public X509Certificate2? TlsClientCertificate { get; set; }
}
