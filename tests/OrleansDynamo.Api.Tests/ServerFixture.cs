using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Testing;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// One real server (silo + HTTP endpoint) per test run, on free ports, reached through the AWS SDK: the Testing
/// package's server, as users of OrleansDynamo.Testing get it.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private DynamoDbTestServer? _server;

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
        _server = await DynamoDbTestServer.StartAsync("--ttl-sweep-interval", "1", "--export-root", ExportRoot);
        Endpoint = _server.Endpoint;
        Clock = _server.Services.GetRequiredService<OrleansDynamo.Hosting.OrleansDynamoClock>();
        Streams = OrleansDynamo.Tests.StreamsSdk.Start(Endpoint);
        Client = CreateClient(Endpoint);
    }

    public static IAmazonDynamoDB CreateClient(Uri endpoint) => new AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Streams?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
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
