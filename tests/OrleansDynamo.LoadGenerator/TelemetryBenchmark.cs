using Amazon.DynamoDBv2;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// What telemetry costs: PutItem and GetItem over HTTP with the AWS SDK against three in-memory servers in one run, with
/// metrics and tracing off, metrics on (the default), and metrics and tracing on (spans made, no exporter).
/// Goal: ≥ 0.9x with metrics on.
/// </summary>
public static class TelemetryBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var duration = TimeSpan.FromSeconds(args.Int("seconds", 5));
        var rounds = args.Int("rounds", 3);
        var workers = args.Int("workers", 32);
        var servers = new[]
        {
            (Name: "off", Flags: (string[])["--metrics", "off"]),
            (Name: "metrics", Flags: []),
            (Name: "metrics+tracing", Flags: ["--tracing", "on"]),
        };
        var started = new List<Microsoft.AspNetCore.Builder.WebApplication>();
        var clients = new List<AmazonDynamoDBClient>();
        try
        {
            var callers = new List<(string Name, Func<string, CancellationToken, Task> Call)>();
            foreach (var (name, flags) in servers)
            {
                var (app, _) = await SigV4Benchmark.StartAsync(flags);
                started.Add(app);
                var client = await SigV4Benchmark.PrepareAsync(app);
                clients.Add(client);
                var payload = new string('x', 100);
                // Half reads, half writes, over the 1,000 items PrepareAsync wrote.
                callers.Add((name, (key, ct) => key.GetHashCode() % 2 == 0
                    ? client.GetItemAsync(ClientVsHttpBenchmark.SdkGet(key), ct)
                    : client.PutItemAsync(ClientVsHttpBenchmark.SdkPut(key, payload), ct)));
            }
            var measured = await new AlternatingRounds(callers, rounds, duration, workers).RunAsync();
            measured.Print("PutItem and GetItem, half each");
            Console.WriteLine($"metrics / off: {measured.Ratio("metrics", "off"):F2}x (goal >= 0.9x)");
            Console.WriteLine($"metrics+tracing / off: {measured.Ratio("metrics+tracing", "off"):F2}x");
            return 0;
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
            foreach (var app in started)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}
