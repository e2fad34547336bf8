using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace OrleansDynamo.Aspire.Client;

/// <summary>
/// How a client reaches an OrleansDynamo server: read from the configuration section <c>Aspire:OrleansDynamo:Client</c>,
/// then from the connection string <c>ConnectionStrings:NAME</c> that an AppHost's OrleansDynamo resource provides
/// (<c>Endpoint=http://localhost:8000;Gateway=127.0.0.1:30000;AccessKeyId=...;SecretAccessKey=...;Region=us-east-1</c>),
/// then by the application's own callback.
/// </summary>
public sealed class OrleansDynamoClientSettings
{
    /// <summary>The configuration section read before the connection string.</summary>
    public const string DefaultConfigSectionName = "Aspire:OrleansDynamo:Client";

    /// <summary>The DynamoDB API's base address (connection string key <c>Endpoint</c>).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The Orleans gateways, <c>host:port</c> each (key <c>Gateway</c>, comma-separated).</summary>
    public IList<string> Gateways { get; set; } = [];

    /// <summary>The access key requests are signed with (key <c>AccessKeyId</c>); any will do for a server without checks.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret of <see cref="AccessKeyId"/> (key <c>SecretAccessKey</c>).</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>The region requests are signed for (key <c>Region</c>): the server's <c>--region</c>, <c>us-east-1</c> by default.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Whether <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> are both given.</summary>
    public bool HasCredentials => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    /// <summary>Reads the settings from a configuration section (keys as in the connection string).</summary>
    internal void ReadConfiguration(IConfiguration section)
    {
        if (section["Endpoint"] is { Length: > 0 } endpoint) Endpoint = ParseEndpoint(endpoint);
        if (section["Gateway"] is { Length: > 0 } gateway) Gateways = SplitGateways(gateway);
        var gateways = section.GetSection("Gateways").GetChildren().Select(child => child.Value).OfType<string>().ToList();
        if (gateways.Count > 0) Gateways = gateways;
        if (section["AccessKeyId"] is { Length: > 0 } accessKeyId) AccessKeyId = accessKeyId;
        if (section["SecretAccessKey"] is { Length: > 0 } secretAccessKey) SecretAccessKey = secretAccessKey;
        if (section["Region"] is { Length: > 0 } region) Region = region;
    }

    /// <summary>
    /// Reads a connection string: <c>Key=value</c> pairs separated by <c>;</c> (keys in any case; others are ignored), or
    /// a bare absolute URL, taken as the endpoint.
    /// </summary>
    public void ParseConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return;
        if (!connectionString.Contains('=') && Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out var bare))
        {
            Endpoint = bare;
            return;
        }
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (parts.TryGetValue("Endpoint", out var endpoint) && endpoint is string { Length: > 0 } endpointText) Endpoint = ParseEndpoint(endpointText);
        if (parts.TryGetValue("Gateway", out var gateway) && gateway is string { Length: > 0 } gatewayText) Gateways = SplitGateways(gatewayText);
        if (parts.TryGetValue("AccessKeyId", out var accessKeyId) && accessKeyId is string { Length: > 0 } key) AccessKeyId = key;
        if (parts.TryGetValue("SecretAccessKey", out var secret) && secret is string { Length: > 0 } secretText) SecretAccessKey = secretText;
        if (parts.TryGetValue("Region", out var region) && region is string { Length: > 0 } regionText) Region = regionText;
    }

    /// <summary>
    /// The gateways as IP endpoints, as Orleans clients take them: host names are looked up (IPv4 first, as the DynamoDB
    /// server and Aspire's proxies listen on 127.0.0.1).
    /// </summary>
    public IPEndPoint[] ResolveGateways() => [.. Gateways.Select(ResolveGateway)];

    internal static IPEndPoint ResolveGateway(string gateway)
    {
        var text = gateway.Trim();
        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0) return parsed;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
            throw new FormatException($"An OrleansDynamo gateway is host:port, not '{gateway}'");
        var host = text[..colon].Trim('[', ']');
        var addresses = Dns.GetHostAddresses(host);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new FormatException($"The OrleansDynamo gateway host '{host}' has no address");
        return new IPEndPoint(address, port);
    }

    private static List<string> SplitGateways(string gateways) =>
        [.. gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static Uri ParseEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new FormatException($"The OrleansDynamo endpoint is an http or https URL, not '{endpoint}'");
}
