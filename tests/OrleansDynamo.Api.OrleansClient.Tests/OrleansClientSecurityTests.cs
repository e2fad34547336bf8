using System.Net;
using System.Security.Cryptography.X509Certificates;
using Amazon.DynamoDBv2;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Client.AwsSdk;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Client.Security;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Server;
using OrleansDynamo.Tests;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// Orleans clients of a silo that checks credentials (<c>--auth sigv4</c>) over TLS (<c>--orleans-tls-cert</c>): the
/// same principals and policies as over HTTP, the request gate as the only way in, and a gateway that talks only TLS.
/// One server for the class, with a throwaway self-signed cluster certificate made here.
/// </summary>
public sealed class OrleansClientSecurityTests : IAsyncLifetime
{
    private const string ReaderTable = "gate-readable";
    private readonly string _directory = Directory.CreateTempSubdirectory("odyn-orleans-security-").FullName;
    private X509Certificate2 _certificate = null!;
    private WebApplication _app = null!;
    private int _gatewayPort;

    public async Task InitializeAsync()
    {
        _certificate = TestCertificates.SelfSigned();
        var certificatePath = TestCertificates.WritePfx(_certificate, _directory);
        var credentialsPath = Path.Combine(_directory, "credentials.json");
        await File.WriteAllTextAsync(credentialsPath, $$$"""
            {"principals": [
              {"name": "admin", "accessKeyId": "AKADMIN", "secretAccessKey": "admin-secret",
               "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}},
              {"name": "reader", "accessKeyId": "AKREADER", "secretAccessKey": "reader-secret",
               "policy": {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:DescribeTable"],
                                         "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/{{{ReaderTable}}}"}]}}]}
            """);
        _gatewayPort = ServerFixture.FreePort();
        _app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", _gatewayPort.ToString(),
            "--admin-port", "0", "--in-memory", "--auth", "sigv4", "--credentials-file", credentialsPath, "--orleans-tls-cert", certificatePath]);
        await _app.StartAsync();
    }

    [Fact]
    public async Task A_client_with_a_key_is_held_to_its_policy_per_action_and_table()
    {
        using var admin = await StartClientAsync(new OrleansDynamoCredentials("AKADMIN", "admin-secret"));
        var adminDb = admin.Services.GetRequiredService<IAmazonDynamoDB>();
        await CreateAsyncNamed(adminDb, ReaderTable);
        await adminDb.PutItemAsync(ReaderTable, new() { ["pk"] = S("k"), ["v"] = S("written by admin") });

        using var reader = await StartClientAsync(new OrleansDynamoCredentials("AKREADER", "reader-secret"));
        var readerDb = reader.Services.GetRequiredService<IAmazonDynamoDB>();
        var item = await readerDb.GetItemAsync(ReaderTable, new() { ["pk"] = S("k") });
        Assert.Equal("written by admin", item.Item["v"].S);

        var write = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => readerDb.PutItemAsync(ReaderTable, new() { ["pk"] = S("k2") }));
        Assert.Equal("AccessDeniedException", write.ErrorCode);
        Assert.Equal("User: arn:aws:iam::000000000000:user/reader is not authorized to perform: dynamodb:PutItem on resource: " +
            $"arn:aws:dynamodb:us-east-1:000000000000:table/{ReaderTable} because no identity-based policy allows the dynamodb:PutItem action", write.Message);
        var otherTable = await CreateAsync(adminDb);
        var read = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => readerDb.GetItemAsync(otherTable, new() { ["pk"] = S("k") }));
        Assert.Equal("AccessDeniedException", read.ErrorCode);
        Assert.Null((await adminDb.GetItemAsync(ReaderTable, new() { ["pk"] = S("k2") })).Item);

        // The gate counts what it serves, refusals as errors.
        var metrics = await new HttpClient().GetStringAsync(new Uri(ServerHost.GetAdminEndpoint(_app), "/metrics"));
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("orleansdynamo_errors_total{", StringComparison.Ordinal)
            && line.Contains("operation=\"PutItem\"") && line.Contains("error_type=\"AccessDeniedException\""));
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("orleansdynamo_requests_total{", StringComparison.Ordinal)
            && line.Contains("operation=\"GetItem\"") && line.Contains($"table=\"{ReaderTable}\""));
    }

    [Fact]
    public async Task A_wrong_secret_or_an_unknown_key_is_refused_with_DynamoDBs_errors()
    {
        using var wrongSecret = await StartClientAsync(new OrleansDynamoCredentials("AKADMIN", "not-the-secret"));
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => wrongSecret.Services.GetRequiredService<IAmazonDynamoDB>().ListTablesAsync());
        Assert.Equal("InvalidSignatureException", error.ErrorCode);

        using var unknown = await StartClientAsync(new OrleansDynamoCredentials("AKNOBODY", "admin-secret"));
        error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => unknown.Services.GetRequiredService<IAmazonDynamoDB>().ListTablesAsync());
        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", error.Message);
    }

    [Fact]
    public async Task A_client_without_a_key_reaches_neither_the_request_path_nor_internal_grain_methods()
    {
        using var admin = await StartClientAsync(new OrleansDynamoCredentials("AKADMIN", "admin-secret"));
        var table = await CreateAsync(admin.Services.GetRequiredService<IAmazonDynamoDB>());

        using var anonymous = await StartClientAsync(credentials: null);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            anonymous.Services.GetRequiredService<IAmazonDynamoDB>().GetItemAsync(table, new() { ["pk"] = S("k") }));
        Assert.Equal("MissingAuthenticationTokenException", error.ErrorCode);

        // Straight at the grains, as a hand-written client would: dropping the table is refused, and it is still there.
        var grains = anonymous.Services.GetRequiredService<IGrainFactory>();
        var refused = await Assert.ThrowsAsync<DynamoException>(() => grains.GetGrain<ITableGrain>(table).Delete());
        Assert.Equal(DynamoErrorTypes.MissingAuthenticationToken, refused.ErrorType);
        await Assert.ThrowsAsync<DynamoException>(() => grains.GetGrain<ICatalogGrain>(0).List(null, 100));
        var described = await admin.Services.GetRequiredService<IAmazonDynamoDB>().DescribeTableAsync(table);
        Assert.Equal("ACTIVE", described.Table.TableStatus.Value);
    }

    [Fact]
    public async Task The_gateway_talks_only_TLS_with_the_cluster_certificate()
    {
        using var other = TestCertificates.SelfSigned();
        // Side by side, since a client gives up on a gateway only after its connection attempts time out.
        await Task.WhenAll(
            // Plain TCP to a TLS gateway: no connection comes up, whatever the key.
            Assert.ThrowsAnyAsync<Exception>(() => StartClientAsync(new OrleansDynamoCredentials("AKADMIN", "admin-secret"), tls: false)),
            // TLS trusting some other certificate: the client refuses the silo's.
            Assert.ThrowsAnyAsync<Exception>(() => StartClientAsync(new OrleansDynamoCredentials("AKADMIN", "admin-secret"), trusted: other)));
    }

    [Fact]
    public async Task With_a_client_certificate_required_only_a_client_that_presents_it_connects()
    {
        using var clientCertificate = TestCertificates.SelfSigned("CN=odyn-client");
        var clientCertificatePath = Path.Combine(_directory, "client.crt");
        await File.WriteAllTextAsync(clientCertificatePath, clientCertificate.ExportCertificatePem()); // the certificate alone, no key
        var gatewayPort = ServerFixture.FreePort();
        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", gatewayPort.ToString(),
            "--admin-port", "0", "--in-memory", "--orleans-tls-cert", TestCertificates.WritePfx(_certificate, _directory),
            "--orleans-tls-client-cert", clientCertificatePath]);
        await app.StartAsync();
        try
        {
            using (var holder = await StartClientAsync(credentials: null, clientCertificate: clientCertificate, gatewayPort: gatewayPort))
                Assert.NotNull((await holder.Services.GetRequiredService<IAmazonDynamoDB>().ListTablesAsync()).TableNames);
            using var stranger = TestCertificates.SelfSigned("CN=odyn-client");
            await Task.WhenAll(
                Assert.ThrowsAnyAsync<Exception>(() => StartClientAsync(credentials: null, gatewayPort: gatewayPort)),
                Assert.ThrowsAnyAsync<Exception>(() => StartClientAsync(credentials: null, clientCertificate: stranger, gatewayPort: gatewayPort)));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<IHost> StartClientAsync(OrleansDynamoCredentials? credentials, bool tls = true, X509Certificate2? trusted = null,
        X509Certificate2? clientCertificate = null, int? gatewayPort = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([new IPEndPoint(IPAddress.Loopback, gatewayPort ?? _gatewayPort)], options =>
        {
            options.Credentials = credentials;
            if (tls) options.TlsServerCertificate = trusted ?? _certificate;
            options.TlsClientCertificate = clientCertificate;
        }));
        builder.Services.AddOrleansDynamoAwsSdk();
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
