using System.Diagnostics;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Client.AwsSdk;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Server;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// GetItem and PutItem throughput and p99 latency against one in-memory server, through three ways in, in the same
/// run: the AWS SDK over HTTP, <see cref="IDynamoDb"/> over an external Orleans client (the server's gateway), and
/// the AWS SDK's <see cref="IAmazonDynamoDB"/> adapter over that Orleans client. In-memory storage, so the figures
/// compare the transports rather than the store.
/// </summary>
public static class ClientVsHttpBenchmark
{
    private const int Keys = 1000;
    internal const string Table = "bench";

    private sealed record Transport(string Name, Func<string, CancellationToken, Task> Put, Func<string, CancellationToken, Task> Get);

    public static async Task RunAsync(TimeSpan duration, int workers = 32)
    {
        var gatewayPort = FreePort();
        var app = ServerHost.Build(["--port", "0", "--silo-port", FreePort().ToString(), "--gateway-port", gatewayPort.ToString(), "--in-memory",
            "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        using var orleansClient = await StartOrleansClientAsync(gatewayPort);
        using var http = new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"),
            new AmazonDynamoDBConfig { ServiceURL = ServerHost.GetEndpoint(app).ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        try
        {
            var dynamo = orleansClient.Services.GetRequiredService<IDynamoDb>();
            var adapter = orleansClient.Services.GetRequiredService<IAmazonDynamoDB>();
            await CreateTableAsync(dynamo);
            var payload = new string('x', 100);
            Transport[] transports =
            [
                new("HTTP (AWS SDK)", (key, ct) => http.PutItemAsync(SdkPut(key, payload), ct), (key, ct) => http.GetItemAsync(SdkGet(key), ct)),
                new("Orleans client (IDynamoDb)", (key, ct) => dynamo.PutItemAsync(Put(key, payload), ct), (key, ct) => dynamo.GetItemAsync(Get(key), ct)),
                new("Orleans client (IAmazonDynamoDB)", (key, ct) => adapter.PutItemAsync(SdkPut(key, payload), ct), (key, ct) => adapter.GetItemAsync(SdkGet(key), ct)),
            ];
            foreach (var t in transports) await MeasureAsync(t.Put, TimeSpan.FromSeconds(1), workers); // warm up: JIT, connections, activations

            Console.WriteLine($"{workers} concurrent callers, {duration.TotalSeconds:F0} s per figure, in-memory storage, one silo");
            Console.WriteLine($"{"operation",-9} {"transport",-34} {"ops/s",10} {"p50 ms",8} {"p99 ms",8}");
            foreach (var (operation, pick) in new (string, Func<Transport, Func<string, CancellationToken, Task>>)[] { ("PutItem", t => t.Put), ("GetItem", t => t.Get) })
            {
                double? httpThroughput = null;
                foreach (var transport in transports)
                {
                    var result = await MeasureAsync(pick(transport), duration, workers);
                    httpThroughput ??= result.Throughput;
                    Console.WriteLine($"{operation,-9} {transport.Name,-34} {result.Throughput,10:F0} {result.P50,8:F2} {result.P99,8:F2}   {result.Throughput / httpThroughput:F1}x HTTP");
                }
            }
        }
        finally
        {
            await orleansClient.StopAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <param name="credentials">For a server with <c>--auth sigv4</c>: the client proves itself and goes through the request gate.</param>
    internal static async Task<IHost> StartOrleansClientAsync(int gatewayPort, OrleansDynamo.Client.Security.OrleansDynamoCredentials? credentials = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([new IPEndPoint(IPAddress.Loopback, gatewayPort)],
            options => options.Credentials = credentials));
        builder.Services.AddOrleansDynamoAwsSdk();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static Task CreateTableAsync(IDynamoDb dynamo) => dynamo.CreateTableAsync(new CreateTableRequest
    {
        TableName = Table,
        BillingMode = "PAY_PER_REQUEST",
        KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
        AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
    });

    private static PutItemRequest Put(string key, string payload) => new()
    {
        TableName = Table,
        Item = new Item([new("pk", AttributeValue.FromS(key)), new("v", AttributeValue.FromS(payload))]),
    };

    internal static GetItemRequest Get(string key) => new() { TableName = Table, Key = new Item([new("pk", AttributeValue.FromS(key))]) };

    internal static Sdk.PutItemRequest SdkPut(string key, string payload) => new()
    {
        TableName = Table,
        Item = new() { ["pk"] = new Sdk.AttributeValue(key), ["v"] = new Sdk.AttributeValue(payload) },
    };

    internal static Sdk.GetItemRequest SdkGet(string key) => new() { TableName = Table, Key = new() { ["pk"] = new Sdk.AttributeValue(key) } };

    internal sealed record Result(double Throughput, double P50, double P99);

    /// <summary>Calls <paramref name="call"/> from <paramref name="workers"/> loops for <paramref name="duration"/>, over a fixed set of keys.</summary>
    internal static async Task<Result> MeasureAsync(Func<string, CancellationToken, Task> call, TimeSpan duration, int workers)
    {
        var latencies = new List<long>[workers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<long>(100_000);
            for (var i = worker; clock.Elapsed < duration; i += workers)
            {
                var start = Stopwatch.GetTimestamp();
                await call($"k{i % Keys}", CancellationToken.None);
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Result(all.Length / elapsed, Percentile(0.50), Percentile(0.99));
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
