using System.CommandLine;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace OrleansDynamo.Cli;

/// <summary>
/// What a command talks to: the server's DynamoDB endpoint through the AWS SDK (which signs with SigV4, so a server
/// with <c>--auth sigv4</c> takes it as any SDK client), and its admin port over plain HTTP for cluster status.
/// </summary>
internal sealed class OdynConnection : IDisposable
{
    private readonly Lazy<AmazonDynamoDBClient> _dynamo;
    private readonly Lazy<HttpClient> _http = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

    private OdynConnection(Uri endpoint, Uri adminEndpoint, string region, string accessKey, string secretKey)
    {
        Endpoint = endpoint;
        AdminEndpoint = adminEndpoint;
        Region = region;
        AccessKey = accessKey;
        SecretKey = secretKey;
        // Created on first use: a usage error or the admin command never needs it.
        _dynamo = new(() => new AmazonDynamoDBClient(new BasicAWSCredentials(accessKey, secretKey), new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = region,
            // A couple of retries ride over a busy server; more would only delay "cannot connect" for a server that is down.
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        }));
    }

    public Uri Endpoint { get; }

    public Uri AdminEndpoint { get; }

    public string Region { get; }

    private string AccessKey { get; }

    private string SecretKey { get; }

    public IAmazonDynamoDB Dynamo => _dynamo.Value;

    public static OdynConnection From(ParseResult parsed)
    {
        var endpoint = parsed.GetValue(GlobalOptions.Endpoint)!;
        // The server puts its admin port beside the DynamoDB port (--admin-port defaults to --port + 1), always plain HTTP.
        var admin = parsed.GetValue(GlobalOptions.AdminEndpoint) ?? new UriBuilder(Uri.UriSchemeHttp, endpoint.Host, endpoint.Port + 1).Uri;
        return new OdynConnection(endpoint, admin, parsed.GetValue(GlobalOptions.Region)!,
            parsed.GetValue(GlobalOptions.AccessKey) ?? FromEnvironment("AWS_ACCESS_KEY_ID"), parsed.GetValue(GlobalOptions.SecretKey) ?? FromEnvironment("AWS_SECRET_ACCESS_KEY"));
    }

    /// <summary>A server without authentication still wants a signed request: any dummy key does there.</summary>
    private static string FromEnvironment(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : "odyn";

    /// <summary>
    /// A GET on the admin port, read as JSON. Always signed: a loopback admin port ignores the signature, and one that
    /// listens beyond loopback (which the server allows only with <c>--auth sigv4</c>) needs it.
    /// </summary>
    public async Task<JsonDocument> GetAdminAsync(string path, CancellationToken cancellation)
    {
        var uri = new Uri(AdminEndpoint, path);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        SigV4Signer.Sign(request, AccessKey, SecretKey, Region, DateTime.UtcNow);
        HttpResponseMessage response;
        try
        {
            response = await _http.Value.SendAsync(request, cancellation);
        }
        catch (Exception error) when (error is HttpRequestException || (error is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new CannotConnectException($"cannot connect to the admin endpoint {AdminEndpoint}", error);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (response.IsSuccessStatusCode)
                try
                {
                    return JsonDocument.Parse(body);
                }
                catch (JsonException)
                {
                    throw new OdynException("InvalidAdminResponse", $"{uri} did not answer JSON; is {AdminEndpoint} the admin port?");
                }
            throw AdminError(uri, response.StatusCode, body);
        }
    }

    /// <summary>The admin port refuses as the DynamoDB port does, with a DynamoDB error body; anything else is named by its status.</summary>
    private static OdynException AdminError(Uri uri, HttpStatusCode status, string body)
    {
        try
        {
            using var error = JsonDocument.Parse(body);
            var type = error.RootElement.GetProperty("__type").GetString()!;
            type = type[(type.LastIndexOf('#') + 1)..];
            var message = error.RootElement.TryGetProperty("message", out var m) || error.RootElement.TryGetProperty("Message", out m) ? m.GetString() : null;
            if (type is "AccessDeniedException" or "UnrecognizedClientException" or "MissingAuthenticationTokenException" or "InvalidSignatureException")
                message += " (the admin port takes requests signed by a principal allowed odyn:Admin: give its keys with --access-key and --secret-key)";
            return new OdynException(type, message ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return status == HttpStatusCode.NotFound
                ? new OdynException("NotFound", $"{uri} answered 404; is {uri.GetLeftPart(UriPartial.Authority)} the admin port (--admin-endpoint)?")
                : new OdynException($"Http{(int)status}", $"{uri} answered {(int)status} {status}");
        }
    }

    public void Dispose()
    {
        if (_dynamo.IsValueCreated) _dynamo.Value.Dispose();
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
