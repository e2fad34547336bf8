using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansDynamo.Tests;

/// <summary>Throwaway certificates, as an operator would make them with openssl: self-signed, for server and client authentication.</summary>
public static class TestCertificates
{
    public static X509Certificate2 SelfSigned(string subject = "CN=odyn-cluster")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Through PFX, so that the private key is a persisted one that SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>The certificate with its key as a PFX file in <paramref name="directory"/>, for <c>--orleans-tls-cert</c>.</summary>
    public static string WritePfx(X509Certificate2 certificate, string directory)
    {
        var path = Path.Combine(directory, $"cluster-{certificate.Thumbprint[..8]}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }
}
