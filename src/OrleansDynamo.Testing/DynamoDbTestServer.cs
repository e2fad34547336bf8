using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Operations;
using OrleansDynamo.Server;

namespace OrleansDynamo.Testing;

/// <summary>
/// An OrleansDynamo server inside the test process: one silo with its data in memory and the DynamoDB HTTP endpoint on a
/// free loopback port. <see cref="SharedAsync"/> gives one per test run; <see cref="BeginTest"/> isolates each test by a
/// table-name prefix, and <see cref="ResetAsync"/> empties the server for suites that run one test at a time.
/// </summary>
/// <example>
/// <code>
/// var server = await DynamoDbTestServer.SharedAsync();
/// await using var test = server.BeginTest();
/// await test.Client.CreateTableAsync(new CreateTableRequest { TableName = test.TableName("Orders"), ... });
/// </code>
/// </example>
public sealed class DynamoDbTestServer : IAsyncDisposable
{
    private static readonly Lazy<Task<DynamoDbTestServer>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _scopes;
    private readonly WebApplication _app;

    private DynamoDbTestServer(WebApplication app, TimeSpan startTime)
    {
        _app = app;
        StartTime = startTime;
        Endpoint = ServerHost.GetEndpoint(app);
        Client = CreateClient();
    }

    /// <summary>The server every caller in this process shares, started on first use and stopped when the process exits.</summary>
    public static Task<DynamoDbTestServer> SharedAsync() => Shared.Value;

    /// <summary>
    /// Starts a server of its own. <paramref name="arguments"/> are the server's flags (<c>--capacity off</c>,
    /// <c>--ttl-sweep-interval 1</c>, ...), added to in-memory storage on free ports.
    /// </summary>
    public static async Task<DynamoDbTestServer> StartAsync(params string[] arguments)
    {
        var started = Stopwatch.StartNew();
        var app = ServerHost.Build(["--port", "0", "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--in-memory",
            "--admin-port", "0", .. arguments]);
        await app.StartAsync();
        var server = new DynamoDbTestServer(app, started.Elapsed);
        if (arguments.Length == 0) AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        return server;
    }

    /// <summary>How long the server took to start: from the call to the endpoint answering.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>The DynamoDB endpoint, for any client over HTTP (the AWS CLI, boto3, another SDK).</summary>
    public Uri Endpoint { get; }

    /// <summary>An AWS SDK client of this server over HTTP, shared; any credentials and region are accepted.</summary>
    public IAmazonDynamoDB Client { get; }

    /// <summary>The typed API in process, without HTTP: the silo's own <see cref="IDynamoDb"/>.</summary>
    public IDynamoDb DynamoDb => _app.Services.GetRequiredService<IDynamoDb>();

    /// <summary>The server's services (its clock, options, grain factory), for tests that reach inside.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A new AWS SDK client of this server, configured further by <paramref name="configure"/> (retries, timeouts).</summary>
    public IAmazonDynamoDB CreateClient(Action<AmazonDynamoDBConfig>? configure = null)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = "us-east-1" };
        configure?.Invoke(config);
        return new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);
    }

    /// <summary>
    /// Isolation for one test: its table names carry a prefix no other test has, and its tables are deleted when the
    /// scope is disposed. Tests in parallel do not see each other's tables.
    /// </summary>
    public DynamoDbTestScope BeginTest() => new(this, $"t{Interlocked.Increment(ref _scopes):x}-");

    /// <summary>Deletes every table: a clean server for the next test, where tests run one at a time.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        string? start = null;
        var tables = new List<string>();
        do
        {
            var page = await DynamoDb.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = start }, cancellationToken);
            tables.AddRange(page.TableNames ?? []);
            start = page.LastEvaluatedTableName;
        } while (start is not null);
        await Task.WhenAll(tables.Select(table => DeleteTableAsync(table, cancellationToken)));
    }

    internal async Task DeleteTableAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            await DynamoDb.DeleteTableAsync(new DeleteTableRequest { TableName = table }, cancellationToken);
        }
        catch (Errors.DynamoException e) when (e.ErrorType == Errors.DynamoErrorTypes.ResourceNotFound)
        {
            // Never created, or already deleted by the test itself.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
