using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// What checking signatures costs: GetItem throughput over HTTP with the AWS SDK against two in-memory servers in
/// one run, one with <c>--auth sigv4</c> and one without, in alternating rounds (medians reported). Goal: ≥ 0.9x.
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
        var off = await StartAsync([]);
        var on = await StartAsync(["--auth", "sigv4", "--credentials-file", credentials]);
        try
        {
            var servers = new[] { (Name: "off", App: off, Client: await PrepareAsync(off)), (Name: "sigv4", App: on, Client: await PrepareAsync(on)) };
            foreach (var server in servers) await Measure(server.Client, TimeSpan.FromSeconds(3), workers); // warm up
            var results = servers.ToDictionary(s => s.Name, _ => new List<ClientVsHttpBenchmark.Result>());
            for (var round = 0; round < rounds; round++)
                foreach (var server in servers) results[server.Name].Add(await Measure(server.Client, duration, workers));

            Console.WriteLine($"GetItem over HTTP, {workers} workers, {rounds} alternating rounds of {duration.TotalSeconds:F0} s, in-memory storage (medians)");
            Console.WriteLine($"{"auth",-6} {"ops/s",10} {"p50 ms",8} {"p99 ms",8}");
            double Median(IEnumerable<double> values) => values.Order().ElementAt(rounds / 2);
            foreach (var (name, list) in results)
                Console.WriteLine($"{name,-6} {Median(list.Select(r => r.Throughput)),10:F0} {Median(list.Select(r => r.P50)),8:F2} {Median(list.Select(r => r.P99)),8:F2}");
            var ratio = Median(results["sigv4"].Select(r => r.Throughput)) / Median(results["off"].Select(r => r.Throughput));
            Console.WriteLine($"sigv4 / off: {ratio:F2}x (goal >= 0.9x)");
            foreach (var server in servers) server.Client.Dispose();
            return 0;
        }
        finally
        {
            foreach (var app in new[] { off, on })
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
            File.Delete(credentials);
        }
    }

    private static async Task<WebApplication> StartAsync(string[] flags)
    {
        var app = ServerHost.Build(["--port", "0", "--silo-port", ClientVsHttpBenchmark.FreePort().ToString(), "--gateway-port",
            ClientVsHttpBenchmark.FreePort().ToString(), "--in-memory", "--Logging:LogLevel:Default=Warning", .. flags]);
        await app.StartAsync();
        return app;
    }

    private static async Task<AmazonDynamoDBClient> PrepareAsync(WebApplication app)
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

    private static Task<ClientVsHttpBenchmark.Result> Measure(AmazonDynamoDBClient client, TimeSpan duration, int workers) =>
        ClientVsHttpBenchmark.MeasureAsync((key, ct) => client.GetItemAsync(ClientVsHttpBenchmark.SdkGet(key), ct), duration, workers);
}
