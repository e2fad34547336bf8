using CsCheck;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;
using OrleansDynamo.Tests;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// The long fuzz round: mutated requests of every operation (<see cref="RequestFuzzer"/>), counted by answer.
/// <code>
///   fuzz [--endpoint http://127.0.0.1:8000] [--mutations 100000] [--seed &lt;CsCheck seed&gt;]
/// </code>
/// Without an endpoint it starts an in-memory server of its own. Fails (exit code 1) on any 5xx, on a request
/// left unanswered, or when the server stops answering.
/// </summary>
public static class FuzzScenario
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var endpointArg = args.String("endpoint", "");
        var total = args.Int("mutations", 100_000);
        var seed = args.String("seed", "");
        args.ThrowOnUnknown();

        await using var own = endpointArg.Length == 0 ? await StartServerAsync() : null;
        var endpoint = own is null ? new Uri(endpointArg) : ServerHost.GetEndpoint(own);
        using var client = BenchTable.CreateClient(endpoint.ToString(), maxErrorRetry: 0);
        var (table, streamArn) = await RequestFuzzer.CreateTableAsync(client);
        var seeds = RequestFuzzer.Seeds(table, streamArn);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var fuzzer = new RequestFuzzer(http, endpoint);
        var perOperation = Math.Max(1, total / seeds.Count);
        Console.WriteLine($"{endpoint}: {perOperation} mutations of each of {seeds.Count} operations");

        var failures = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (operation, request) in seeds.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var counts = new int[6];
            await RequestFuzzer.Mutations.SampleAsync(async mutations =>
            {
                var body = RequestFuzzer.Apply(request, mutations);
                var status = await fuzzer.SendAsync(operation, body);
                Interlocked.Increment(ref counts[status / 100]);
                if (status is >= 500 or 0 && Interlocked.Increment(ref failures) <= 20)
                    Console.WriteLine($"  HTTP {status} for {operation} ({string.Join(", ", mutations)}): {(body.Length > 500 ? body[..500] + "..." : body)}");
            }, seed: seed.Length > 0 ? seed : RequestFuzzer.SeedOf(operation), iter: perOperation, threads: 2);
            Console.WriteLine($"{operation,-22} 2xx {counts[2],6}  4xx {counts[4],6}  5xx {counts[5],4}  none {counts[0],4}");
        }
        var up = await fuzzer.IsUpAsync();
        Console.WriteLine($"{perOperation * seeds.Count} requests in {clock.Elapsed.TotalSeconds:0} s: {failures} server errors or unanswered; server {(up ? "up" : "DOWN")}");
        return failures == 0 && up ? 0 : 1;
    }

    private static async Task<WebApplication> StartServerAsync()
    {
        var app = ServerHost.Build(["--port", "0", "--silo-port", ClientVsHttpBenchmark.FreePort().ToString(), "--gateway-port", ClientVsHttpBenchmark.FreePort().ToString(), "--in-memory"]);
        await app.StartAsync();
        return app;
    }
}
