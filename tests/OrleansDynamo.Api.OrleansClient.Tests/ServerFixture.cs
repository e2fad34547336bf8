using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Client.AwsSdk;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Server;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// One real server (silo + HTTP endpoint) per test run, on free ports, reached through the AWS SDK's
/// <see cref="IAmazonDynamoDB"/> served by OrleansDynamo over an Orleans client connected to the server's gateway.
/// Same class and members as the HTTP project's fixture, so the same tests compile against either.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private IHost? _client;

    public Uri Endpoint { get; private set; } = null!;
    public IAmazonDynamoDB Client { get; private set; } = null!;

    /// <summary>The AWS SDK's DynamoDB Streams client over HTTP (the Orleans client's way to a table's changes is <c>DynamoDbClient.ReadChangesAsync</c>).</summary>
    public OrleansDynamo.Tests.StreamsSdk Streams { get; private set; } = null!;

    /// <summary>The server's clock, which tests move forward to reach the retention and iterator expiry.</summary>
    public OrleansDynamo.Hosting.OrleansDynamoClock Clock { get; private set; } = null!;

    /// <summary>The folder that stands for S3 in exports and imports (<c>--export-root</c>): bucket b is ExportRoot/b.</summary>
    public string ExportRoot { get; } = Directory.CreateTempSubdirectory("odyn-exports-").FullName;

    public async Task InitializeAsync()
    {
        var gatewayPort = FreePort();
        _app = ServerHost.Build(["--port", "0", "--silo-port", FreePort().ToString(), "--gateway-port", gatewayPort.ToString(), "--in-memory", "--ttl-sweep-interval", "1",
            "--export-root", ExportRoot]);
        await _app.StartAsync();
        Endpoint = ServerHost.GetEndpoint(_app);
        Clock = _app.Services.GetRequiredService<OrleansDynamo.Hosting.OrleansDynamoClock>();
        Streams = OrleansDynamo.Tests.StreamsSdk.Start(Endpoint);
        _client = await StartOrleansClientAsync(gatewayPort);
        Client = _client.Services.GetRequiredService<IAmazonDynamoDB>();
    }

    /// <summary>
    /// The HTTP project's helper for tests that start a server of their own: an AWS SDK client over HTTP. Such tests
    /// run over HTTP in this project too, because a server's Orleans gateway cannot be told from its HTTP endpoint.
    /// </summary>
    public static IAmazonDynamoDB CreateClient(Uri endpoint) => new AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    /// <summary>An Orleans client host with IAmazonDynamoDB registered as an application would register it.</summary>
    public static async Task<IHost> StartOrleansClientAsync(int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([new IPEndPoint(IPAddress.Loopback, gatewayPort)]));
        builder.Services.AddOrleansDynamoAwsSdk();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Streams?.Dispose();
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(ExportRoot, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
