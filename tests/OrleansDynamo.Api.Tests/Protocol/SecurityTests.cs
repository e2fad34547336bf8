using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// <c>--auth sigv4</c>: signatures checked as AWS checks them, with DynamoDB's errors, and each principal's policy
/// applied per action and per table. The AWS SDK signs where it can; <see cref="TestSigner"/> signs what it would not.
/// </summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const string Target = "DynamoDB_20120810.";
    private const string ReaderArn = "arn:aws:iam::000000000000:user/reader";
    private const string BooksArn = "arn:aws:dynamodb:us-east-1:000000000000:table/books";
    private readonly string _credentials = Path.Combine(Path.GetTempPath(), $"odyn-security-{Guid.NewGuid():N}.json");
    private static readonly HttpClient Http = new();
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    private const string Principals = """
        {"name": "admin", "accessKeyId": "AKADMIN", "secretAccessKey": "admin-secret",
         "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}},
        {"name": "reader", "accessKeyId": "AKREADER", "secretAccessKey": "reader-secret",
         "policy": {"Statement": [
           {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/books*"},
           {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/books-private"}]}},
        {"name": "temp", "accessKeyId": "AKTEMP", "secretAccessKey": "temp-secret", "sessionToken": "token-1",
         "policy": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}
        """;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_credentials, $$"""{"principals": [{{Principals}}]}""");
        _app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--in-memory", "--auth", "sigv4", "--credentials-file", _credentials]);
        await _app.StartAsync();
        _endpoint = ServerHost.GetEndpoint(_app);
        using var admin = Client(new BasicAWSCredentials("AKADMIN", "admin-secret"));
        foreach (var table in new[] { "books", "books-private" })
        {
            await admin.CreateTableAsync(new CreateTableRequest
            {
                TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            });
            await admin.PutItemAsync(table, new() { ["pk"] = new AttributeValue("a") });
        }
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_credentials);
    }

    private AmazonDynamoDBClient Client(AWSCredentials credentials, string region = "us-east-1") =>
        new(credentials, new AmazonDynamoDBConfig { ServiceURL = _endpoint.ToString(), AuthenticationRegion = region, MaxErrorRetry = 0 });

    private static async Task<(string Code, string Message)> FailsAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(call);
        return (error.ErrorCode, error.Message);
    }

    private static async Task<(HttpStatusCode Status, string Type, string Message)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK) return (response.StatusCode, "", body);
        using var json = JsonDocument.Parse(body);
        var message = json.RootElement.TryGetProperty("message", out var m) ? m.GetString()! : json.RootElement.TryGetProperty("Message", out m) ? m.GetString()! : "";
        return (response.StatusCode, json.RootElement.GetProperty("__type").GetString()!, message);
    }

    private const string GetBooks = """{"TableName":"books","Key":{"pk":{"S":"a"}}}""";

    [Fact]
    public async Task The_right_key_is_accepted_and_a_policy_allows_and_denies_per_action_and_table()
    {
        using var reader = Client(new BasicAWSCredentials("AKREADER", "reader-secret"));
        Assert.Equal("a", (await reader.GetItemAsync("books", new() { ["pk"] = new AttributeValue("a") })).Item["pk"].S);

        Assert.Equal(("AccessDeniedException", $"User: {ReaderArn} is not authorized to perform: dynamodb:PutItem on resource: {BooksArn} because no identity-based policy allows the dynamodb:PutItem action"),
            await FailsAsync(() => reader.PutItemAsync("books", new() { ["pk"] = new AttributeValue("b") })));
        Assert.Equal(("AccessDeniedException", $"User: {ReaderArn} is not authorized to perform: dynamodb:GetItem on resource: {BooksArn}-private with an explicit deny in an identity-based policy"),
            await FailsAsync(() => reader.GetItemAsync("books-private", new() { ["pk"] = new AttributeValue("a") })));
        Assert.Equal(("AccessDeniedException", $"User: {ReaderArn} is not authorized to perform: dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action"),
            await FailsAsync(() => reader.ListTablesAsync()));
        // A batch needs its action on every table it names.
        Assert.Equal("AccessDeniedException", (await FailsAsync(() => reader.BatchGetItemAsync(new Dictionary<string, KeysAndAttributes>
        {
            ["books"] = new() { Keys = [new() { ["pk"] = new AttributeValue("a") }] },
        }))).Code);
        // Nothing was written by the refused PutItem.
        using var admin = Client(new BasicAWSCredentials("AKADMIN", "admin-secret"));
        Assert.False((await admin.GetItemAsync("books", new() { ["pk"] = new AttributeValue("b") })).IsItemSet);
    }

    [Fact]
    public async Task A_wrong_key_a_wrong_secret_and_a_wrong_region_are_rejected_with_DynamoDBs_errors()
    {
        using var unknown = Client(new BasicAWSCredentials("AKNOBODY", "x"));
        Assert.Equal(("UnrecognizedClientException", "The security token included in the request is invalid."), await FailsAsync(() => unknown.ListTablesAsync()));
        using var wrongSecret = Client(new BasicAWSCredentials("AKADMIN", "not-the-secret"));
        Assert.Equal(("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. " +
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."), await FailsAsync(() => wrongSecret.ListTablesAsync()));
        using var wrongRegion = Client(new BasicAWSCredentials("AKADMIN", "admin-secret"), "eu-west-1");
        Assert.Equal(("InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'. "), await FailsAsync(() => wrongRegion.ListTablesAsync()));
    }

    [Fact]
    public async Task Session_tokens_are_needed_for_temporary_keys_and_only_there()
    {
        using var temporary = Client(new SessionAWSCredentials("AKTEMP", "temp-secret", "token-1"));
        Assert.Contains("books", (await temporary.ListTablesAsync()).TableNames);
        using var wrongToken = Client(new SessionAWSCredentials("AKTEMP", "temp-secret", "token-2"));
        Assert.Equal("UnrecognizedClientException", (await FailsAsync(() => wrongToken.ListTablesAsync())).Code);
        using var noToken = Client(new BasicAWSCredentials("AKTEMP", "temp-secret"));
        Assert.Equal("UnrecognizedClientException", (await FailsAsync(() => noToken.ListTablesAsync())).Code);
        using var tokenForPermanentKey = Client(new SessionAWSCredentials("AKADMIN", "admin-secret", "token-1"));
        Assert.Equal("UnrecognizedClientException", (await FailsAsync(() => tokenForPermanentKey.ListTablesAsync())).Code);
    }

    [Fact]
    public async Task Unsigned_expired_future_incomplete_and_tampered_requests_are_rejected()
    {
        Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#MissingAuthenticationTokenException", "Request is missing Authentication Token"),
            await SendAsync(TestSigner.Post(_endpoint, Target + "GetItem", GetBooks)));

        var (status, type, message) = await SendAsync(TestSigner.Signed(_endpoint, Target + "GetItem", GetBooks, "AKADMIN", "admin-secret", DateTime.UtcNow.AddMinutes(-20)));
        Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#InvalidSignatureException"), (status, type));
        Assert.Matches(@"^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$", message);
        (_, type, message) = await SendAsync(TestSigner.Signed(_endpoint, Target + "GetItem", GetBooks, "AKADMIN", "admin-secret", DateTime.UtcNow.AddMinutes(20)));
        Assert.Equal("com.amazon.coral.service#InvalidSignatureException", type);
        Assert.Matches(@"^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$", message);

        // One body signed, another sent.
        (_, type, message) = await SendAsync(TestSigner.Signed(_endpoint, Target + "GetItem", GetBooks, "AKADMIN", "admin-secret",
            sendBody: GetBooks.Replace("\"a\"", "\"b\"")));
        Assert.Equal(("com.amazon.coral.service#InvalidSignatureException", true), (type, message.StartsWith("The request signature we calculated does not match", StringComparison.Ordinal)));

        var incomplete = TestSigner.Post(_endpoint, Target + "GetItem", GetBooks);
        incomplete.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKADMIN/20260101/us-east-1/dynamodb/aws4_request");
        Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#IncompleteSignatureException",
                "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
                "Authorization=AWS4-HMAC-SHA256 Credential=AKADMIN/20260101/us-east-1/dynamodb/aws4_request"),
            await SendAsync(incomplete));

        // Health checks and CORS preflights stay unsigned, as at DynamoDB.
        Assert.StartsWith("healthy: ", await Http.GetStringAsync(_endpoint));
    }

    [Fact]
    public async Task Presigned_requests_are_accepted_with_the_right_signature_only()
    {
        var (status, _, body) = await SendAsync(TestSigner.Presigned(_endpoint, Target + "GetItem", GetBooks, "AKREADER", "reader-secret"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"pk\":{\"S\":\"a\"}", body);
        var (_, type, _) = await SendAsync(TestSigner.Presigned(_endpoint, Target + "GetItem", GetBooks, "AKREADER", "reader-secret", breakSignature: true));
        Assert.Equal("com.amazon.coral.service#InvalidSignatureException", type);
        var missing = TestSigner.Post(new Uri(_endpoint, "/?X-Amz-Algorithm=AWS4-HMAC-SHA256"), Target + "GetItem", GetBooks);
        Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#IncompleteSignatureException",
                "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
                "AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
                "Re-examine the query-string parameters."),
            await SendAsync(missing));
    }

    [Fact]
    public async Task The_credentials_file_is_read_again_when_it_changes()
    {
        using var late = Client(new BasicAWSCredentials("AKLATE", "late-secret"));
        Assert.Equal("UnrecognizedClientException", (await FailsAsync(() => late.ListTablesAsync())).Code);
        await File.WriteAllTextAsync(_credentials, $$$"""
            {"principals": [{{{Principals}}}, {"name": "late", "accessKeyId": "AKLATE", "secretAccessKey": "late-secret",
              "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:List*", "Resource": "*"}]}}]}
            """);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                Assert.Contains("books", (await late.ListTablesAsync()).TableNames);
                break;
            }
            catch (AmazonDynamoDBException error) when (error.ErrorCode == "UnrecognizedClientException" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public async Task Admin_endpoints_answer_on_the_admin_port_only()
    {
        using var onApi = await Http.GetAsync(new Uri(_endpoint, "/admin/partitions"));
        Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        var admin = ServerHost.GetAdminEndpoint(_app);
        Assert.NotEqual(_endpoint.Port, admin.Port);
        var partitions = await Http.GetFromJsonAsync<Dictionary<string, int>>(new Uri(admin, "/admin/partitions"));
        Assert.True(partitions!.Values.Sum() > 0);
        using var apiOnAdmin = await Http.PostAsync(admin, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, apiOnAdmin.StatusCode);
    }

    [Fact]
    public async Task An_admin_port_beyond_loopback_needs_a_signature_allowed_odyn_Admin()
    {
        Assert.Throws<InvalidOperationException>(() => ServerHost.Build(["--port", "0", "--in-memory", "--admin-address", "0.0.0.0"]));

        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--in-memory", "--auth", "sigv4", "--credentials-file", _credentials, "--admin-address", "0.0.0.0", "--admin-port", "0"]);
        await app.StartAsync();
        try
        {
            var partitions = new Uri($"http://127.0.0.1:{ServerHost.GetAdminEndpoint(app).Port}/admin/partitions");
            var (status, type, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, partitions));
            Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#MissingAuthenticationTokenException"), (status, type));
            (status, type, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(partitions, "/metrics")));
            Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#MissingAuthenticationTokenException"), (status, type));
            using var probe = await Http.GetAsync(new Uri(partitions, "/health/ready")); // probes cannot sign
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);

            (status, type, var message) = await SendAsync(TestSigner.SignedGet(partitions, "AKREADER", "reader-secret"));
            Assert.Equal((HttpStatusCode.BadRequest, "com.amazon.coral.service#AccessDeniedException"), (status, type));
            Assert.Equal($"User: {ReaderArn} is not authorized to perform: odyn:Admin on resource: arn:aws:dynamodb:us-east-1:000000000000:admin " +
                "because no identity-based policy allows the odyn:Admin action", message);

            using var allowed = await Http.SendAsync(TestSigner.SignedGet(partitions, "AKTEMP", "temp-secret"));
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode); // AKTEMP is a temporary key: its token is missing
            var withToken = TestSigner.SignedGet(partitions, "AKTEMP", "temp-secret");
            withToken.Headers.TryAddWithoutValidation("X-Amz-Security-Token", "token-1");
            using var answered = await Http.SendAsync(withToken);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task HTTPS_serves_the_DynamoDB_port_with_the_configured_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("odyn-tls-");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(directory.FullName, "server.crt");
        var keyPath = Path.Combine(directory.FullName, "server.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--in-memory", "--tls-cert", certPath, "--tls-key", keyPath]);
        await app.StartAsync();
        try
        {
            var endpoint = ServerHost.GetEndpoint(app);
            Assert.Equal("https", endpoint.Scheme);
            string? seen = null;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => { seen = presented?.Thumbprint; return true; },
            };
            using var https = new HttpClient(handler);
            Assert.StartsWith("healthy: ", await https.GetStringAsync(endpoint));
            Assert.Equal(certificate.Thumbprint, seen);
            using var response = await https.SendAsync(TestSigner.Post(endpoint, Target + "ListTables", "{}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_PostgreSQL_connection_string_comes_from_its_file_once_options_are_validated()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "Host=db;Database=odyn;Password=secret\n");
        try
        {
            var options = new ServerOptions { Storage = "postgres", PostgresFile = file };
            options.Validate();
            File.Delete(file); // read once: the server does not need it again
            Assert.Equal("Host=db;Database=odyn;Password=secret", options.RequirePostgres());
            var missing = new ServerOptions { Storage = "postgres", PostgresFile = file };
            Assert.Equal($"--postgres-file {file} does not exist", Assert.Throws<InvalidOperationException>(missing.Validate).Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
