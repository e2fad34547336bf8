using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OrleansDynamo.Server;

/// <summary>
/// The server's two HTTP ports: the DynamoDB API (HTTPS with a certificate; loopback unless authentication is on or
/// <c>--listen-address</c> says otherwise) and the admin port (<c>/admin/...</c>, loopback unless
/// <c>--admin-address</c>). Each serves only its own paths.
/// </summary>
public sealed class ServerEndpoints
{
    private ListenOptions? _api, _admin;
    private bool _https;

    internal void Listen(KestrelServerOptions kestrel, ServerOptions options, X509Certificate2? certificate)
    {
        _https = certificate is not null;
        var apiAddress = options.ListenAddress is { } address ? IPAddress.Parse(address)
            : options.RequiresSignatures ? IPAddress.Any : IPAddress.Loopback;
        kestrel.Listen(apiAddress, options.Port, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
            _api = listen;
        });
        kestrel.Listen(IPAddress.Parse(options.AdminAddress), options.AdminPortOrDefault, listen => _admin = listen);
    }

    /// <summary>Bound ports are known once the server has started (a port of 0 is chosen then).</summary>
    public int ApiPort => _api!.IPEndPoint!.Port;

    public int AdminPort => _admin!.IPEndPoint!.Port;

    public Uri ApiUri => new($"{(_https ? "https" : "http")}://localhost:{ApiPort}");

    public Uri AdminUri => new($"http://{Host(_admin!.IPEndPoint!.Address)}:{AdminPort}");

    private static string Host(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(address) ? "localhost"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>
    /// Admin paths (<see cref="Admin.AdminEndpoints.IsAdminPath"/>) answer on the admin port only, and nothing else does:
    /// 404 otherwise. Where the admin port listens beyond loopback, an admin request other than a health probe must be
    /// signed (SigV4, as a DynamoDB request) by a principal allowed <c>odyn:Admin</c>; DynamoDB's authentication and
    /// AccessDenied errors otherwise.
    /// </summary>
    internal Task KeepAdminApart(HttpContext context, RequestDelegate next)
    {
        var onAdminPort = context.Connection.LocalPort == AdminPort;
        if (onAdminPort != Admin.AdminEndpoints.IsAdminPath(context.Request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (onAdminPort && !IPAddress.IsLoopback(_admin!.IPEndPoint!.Address) && !Admin.AdminEndpoints.IsUnsignedPath(context.Request.Path)
            && RefusedAdmin(context) is { } refusal)
            return Protocol.ErrorWriter.WriteAsync(context.Response, refusal);
        return next(context);
    }

    private static Errors.DynamoException? RefusedAdmin(HttpContext context)
    {
        try
        {
            var principal = context.RequestServices.GetRequiredService<Security.SigV4Verifier>().Verify(context.Request, []);
            context.RequestServices.GetRequiredService<OrleansDynamo.Security.RequestAuthorizer>().AuthorizeAdmin(principal);
            return null;
        }
        catch (Errors.DynamoException error)
        {
            return error;
        }
    }
}

/// <summary>The certificate of <c>--tls-cert</c>: a PFX, or PEM with its key in <c>--tls-key</c> or the same file.</summary>
internal static class ServerCertificates
{
    /// <summary>The DynamoDB port's certificate (<c>--tls-cert</c>), or null for plain HTTP.</summary>
    public static X509Certificate2? Load(ServerOptions options) => Load(options.TlsCert, options.TlsKey, "--tls");

    /// <summary>The Orleans ports' certificate (<c>--orleans-tls-cert</c>), or null for plain TCP.</summary>
    public static X509Certificate2? LoadOrleans(ServerOptions options) => Load(options.OrleansTlsCert, options.OrleansTlsKey, "--orleans-tls");

    /// <summary>The certificate gateway clients must present (<c>--orleans-tls-client-cert</c>, no key needed), or null.</summary>
    public static X509Certificate2? LoadOrleansClient(ServerOptions options) =>
        options.OrleansTlsClientCert is not { } path ? null
        : !File.Exists(path) ? throw new InvalidOperationException($"--orleans-tls-client-cert {path} does not exist")
        : Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12" ? X509CertificateLoader.LoadPkcs12FromFile(path, password: null)
        : X509CertificateLoader.LoadCertificateFromFile(path);

    private static X509Certificate2? Load(string? path, string? keyPath, string flag)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new InvalidOperationException($"{flag}-cert {path} does not exist");
        if (keyPath is not null && !File.Exists(keyPath)) throw new InvalidOperationException($"{flag}-key {keyPath} does not exist");
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            return extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password: null)
                : X509Certificate2.CreateFromPemFile(path, keyPath ?? path);
        }
        catch (System.Security.Cryptography.CryptographicException error)
        {
            throw new InvalidOperationException($"{flag}-cert {path} cannot be read: {error.Message}", error);
        }
    }
}
