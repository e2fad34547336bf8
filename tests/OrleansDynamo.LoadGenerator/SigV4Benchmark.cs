using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// What checking signatures costs: GetItem throughput against two in-memory servers in one run, one with
/// <c>--auth sigv4</c> and one without, in alternating rounds (medians reported): over HTTP with the AWS SDK (goal
/// ≥ 0.9x), and over the Orleans client, straight to the partitions without auth and through the request gate
/// with a proof with it.
/// </summary>
public static class SigV4Benchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var duration = TimeSpan.FromSeconds(args.Int("seconds", 5));
        var rounds = args.Int("rounds", 3);
        var workers = args.Int("workers", 32);
        var credentials = Path.Combine(Path.GetTempPath(), $"odyn-bench-credentials-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(credentials, """
            {"principals": [{"name": "bench", "accessKeyId": "bench", "secretAccessKey": "bench",
              "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}}]}
            """);
        var (off, offGateway) = await StartAsync([]);
        var (on, onGateway) = await StartAsync(["--auth", "sigv4", "--credentials-file", credentials]);
        var direct = await ClientVsHttpBenchmark.StartOrleansClientAsync(offGateway);
        var gated = await ClientVsHttpBenchmark.StartOrleansClientAsync(onGateway, new("bench", "bench"));
        try
        {
            var (httpOff, httpOn) = (await PrepareAsync(off), await PrepareAsync(on));
            var callers = new (string Name, Func<string, CancellationToken, Task> Call)[]
            {
                ("HTTP, auth off", (key, ct) => httpOff.GetItemAsync(ClientVsHttpBenchmark.SdkGet(key), ct)),
                ("HTTP, sigv4", (key, ct) => httpOn.GetItemAsync(ClientVsHttpBenchmark.SdkGet(key), ct)),
                ("Orleans, auth off", OrleansGet(direct)),
                ("Orleans, gate", OrleansGet(gated)),
            };
            var measured = await new AlternatingRounds(callers, rounds, duration, workers).RunAsync();
            measured.Print("GetItem");
            Console.WriteLine($"HTTP sigv4 / off: {measured.Ratio("HTTP, sigv4", "HTTP, auth off"):F2}x (goal >= 0.9x)");
            Console.WriteLine($"Orleans gate / off: {measured.Ratio("Orleans, gate", "Orleans, auth off"):F2}x");
            httpOff.Dispose();
            httpOn.Dispose();
            return 0;
        }
        finally
        {
            foreach (var client in new[] { direct, gated })
            {
                await client.StopAsync();
                client.Dispose();
            }
            foreach (var app in new[] { off, on })
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
            File.Delete(credentials);
        }
    }

    internal static async Task<(WebApplication App, int GatewayPort)> StartAsync(string[] flags)
    {
        var gatewayPort = ClientVsHttpBenchmark.FreePort();
        var app = ServerHost.Build(["--port", "0", "--silo-port", ClientVsHttpBenchmark.FreePort().ToString(), "--gateway-port",
            gatewayPort.ToString(), "--in-memory", "--Logging:LogLevel:Default=Warning", .. flags]);
        await app.StartAsync();
        return (app, gatewayPort);
    }

    private static Func<string, CancellationToken, Task> OrleansGet(IHost client)
    {
        var dynamo = client.Services.GetRequiredService<Operations.IDynamoDb>();
        return (key, ct) => dynamo.GetItemAsync(ClientVsHttpBenchmark.Get(key), ct);
    }

    internal static async Task<AmazonDynamoDBClient> PrepareAsync(WebApplication app)
    {
        var client = new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"),
            new AmazonDynamoDBConfig { ServiceURL = ServerHost.GetEndpoint(app).ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        await client.CreateTableAsync(new Sdk.CreateTableRequest
        {
            TableName = ClientVsHttpBenchmark.Table, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        });
        for (var i = 0; i < 1000; i++) await client.PutItemAsync(ClientVsHttpBenchmark.SdkPut($"k{i}", new string('x', 100)));
        return client;
    }

}
