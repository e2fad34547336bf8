using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Server;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// PutItem throughput of 32 concurrent writers on one partition, with group commit and with one store
/// commit per write, for each durable store. Requests take the whole request path (validation, routing,
/// the partition grain, the store) without HTTP, so the figure isolates what the commit strategy costs.
/// </summary>
public static class GroupCommitBenchmark
{
    private const int Writers = 32;

    public static async Task RunAsync(TimeSpan duration)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "odyn-bench-" + Guid.NewGuid().ToString("N"));
        await using var postgres = await PostgresServer.StartAsync();
        var results = new List<(string Store, double Single, double Group)>();
        try
        {
            var embedded = (Func<string, string[]>)(run => ["--data-dir", Path.Combine(dataRoot, run)]);
            var onPostgres = (Func<string, string[]>)(run => ["--storage", "postgres", "--postgres", postgres.CreateDatabaseAsync(run).GetAwaiter().GetResult()]);
            foreach (var (store, storageArguments) in new[] { ("embedded", embedded), ("postgres", onPostgres) })
            {
                var single = await MeasureAsync(storageArguments($"{store}_single"), groupCommit: false, duration);
                var group = await MeasureAsync(storageArguments($"{store}_group"), groupCommit: true, duration);
                results.Add((store, single, group));
                Console.WriteLine($"{store,-9} one commit per write: {single,8:F0} puts/s   group commit: {group,8:F0} puts/s   ratio: {group / single:F1}x");
            }
        }
        finally
        {
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    private static async Task<double> MeasureAsync(string[] storageArguments, bool groupCommit, TimeSpan duration)
    {
        string[] arguments = ["--port", "0", "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(),
            "--initial-partitions", "1", "--group-commit", groupCommit ? "true" : "false", "--Logging:LogLevel:Default=Warning", .. storageArguments];
        var app = ServerHost.Build(arguments);
        await app.StartAsync();
        try
        {
            var dynamo = app.Services.GetRequiredService<IDynamoDb>();
            await dynamo.CreateTableAsync(new CreateTableRequest
            {
                TableName = "bench",
                BillingMode = "PAY_PER_REQUEST",
                KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
                AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
            });
            await RunWritersAsync(dynamo, TimeSpan.FromSeconds(1)); // Warm up: activation, JIT, connections.
            return await RunWritersAsync(dynamo, duration);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<double> RunWritersAsync(IDynamoDb dynamo, TimeSpan duration)
    {
        var payload = AttributeValue.FromS(new string('x', 100));
        long completed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = "bench",
                    Item = new Item([KeyValuePair.Create("pk", AttributeValue.FromS($"w{writer}-{i}")), KeyValuePair.Create("v", payload)]),
                });
                Interlocked.Increment(ref completed);
            }
        }));
        return completed / clock.Elapsed.TotalSeconds;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
