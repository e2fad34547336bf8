using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// YCSB-style closed-loop workloads against a running server, through the AWS SDK over HTTP:
/// <code>
///   workloads --endpoint http://127.0.0.1:8000 [--workers 32] [--items 20000] [--seconds 10] [--warmup 1]
///             [--keys zipfian|uniform] [--workloads A,C,W,Q,S,cond|none] [--load] [--loaders 8] [--table bench] [--json PATH]
/// </code>
/// A: 50 % GetItem, 50 % UpdateItem <c>SET f1 = :v</c>; C: GetItem; W: PutItem over an existing item; Q: Query of one
/// partition key, Limit 10; S: Scan pages of 100, each worker walking the whole table; cond: read-modify-write of a
/// counter on 10 hot items with a condition, checked at the end (the sum of the counters equals the updates that
/// succeeded). <c>--load</c> creates the table if needed and writes the items first; <c>--workloads none</c> only loads.
/// </summary>
public static class WorkloadsScenario
{
    private const int CondItems = 10;
    private static readonly string[] AllWorkloads = ["A", "C", "W", "Q", "S", "cond"];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var endpoint = args.String("endpoint", "http://127.0.0.1:8000");
        var workers = args.Int("workers", 32);
        var items = args.Int("items", 20_000);
        var seconds = args.Double("seconds", 10);
        var warmup = args.Double("warmup", 1);
        var keys = args.String("keys", "zipfian");
        var list = args.String("workloads", string.Join(',', AllWorkloads));
        var load = args.Flag("load");
        var loaders = args.Int("loaders", 8);
        var tableName = args.String("table", "bench");
        var json = args.Optional("json");
        args.ThrowOnUnknown();

        var workloads = list is "none" or "" ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var w in workloads)
            if (!AllWorkloads.Contains(w, StringComparer.OrdinalIgnoreCase)) throw new ArgumentException($"unknown workload '{w}' (known: {string.Join(", ", AllWorkloads)}, none)");
        if (items < BenchTable.ItemsPerKey || workers < 1 || seconds <= 0) throw new ArgumentException("--items must be at least 10, --workers at least 1, --seconds above 0");

        using var loadClient = BenchTable.CreateClient(endpoint, maxErrorRetry: 3, timeoutSeconds: 30);
        using var client = BenchTable.CreateClient(endpoint, maxErrorRetry: 0);
        var table = new BenchTable(client, tableName, items);
        double? loadRate = null;
        if (load)
        {
            var loading = new BenchTable(loadClient, tableName, items);
            var created = await loading.EnsureCreatedAsync();
            Console.WriteLine($"loading {items} items of ~1 KB into {tableName}{(created ? " (created)" : "")} from {loaders} loaders...");
            loadRate = await loading.LoadAsync(loaders);
            Console.WriteLine($"loaded {items} items: {loadRate:F0} items/s");
        }
        else await table.RequireExistsAsync();
        var results = new List<RunResult>();
        if (workloads.Length == 0)
        {
            if (json is not null) WriteJson(json, endpoint, tableName, items, workers, seconds, keys, results, loadRate);
            return 0;
        }

        var itemChooser = KeyChooser.Create(keys, items);
        var keyChooser = KeyChooser.Create(keys, table.PartitionKeys);
        Console.WriteLine($"{endpoint}, table {tableName}: {items} items, {workers} workers, {keys} keys, {seconds:0.##} s per workload after {warmup:0.##} s warm-up");
        Console.WriteLine(ClosedLoop.Header);
        foreach (var name in workloads)
        {
            var result = name.ToUpperInvariant() switch
            {
                "A" => await MeasureAsync("A", w => w.Random.Next(2) == 0
                    ? Done(table.GetAsync(itemChooser.Next(w.Random)))
                    : Done(table.UpdateF1Async(itemChooser.Next(w.Random), w.Random))),
                "C" => await MeasureAsync("C", w => Done(table.GetAsync(itemChooser.Next(w.Random)))),
                "W" => await MeasureAsync("W", w => Done(table.PutAsync(itemChooser.Next(w.Random), w.Random))),
                "Q" => await MeasureAsync("Q", w => Done(table.QueryAsync(keyChooser.Next(w.Random)))),
                "S" => await MeasureAsync("S", w => ScanPageAsync(table, w)),
                _ => await ConditionalAsync(table, workers, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds)),
            };
            results.Add(result);
            Console.WriteLine(ClosedLoop.Line(result));
        }
        if (json is not null) WriteJson(json, endpoint, tableName, items, workers, seconds, keys, results, loadRate);
        return results.Any(r => r.Check?.StartsWith("FAIL", StringComparison.Ordinal) == true) ? 1 : 0;

        async Task<RunResult> MeasureAsync(string workload, Func<Worker, Task<bool>> operation)
        {
            var state = Enumerable.Range(0, workers).Select(i => new Worker(i)).ToArray();
            if (warmup > 0) await ClosedLoop.RunAsync(workload, workers, TimeSpan.FromSeconds(warmup), operation, state);
            return await ClosedLoop.RunAsync(workload, workers, TimeSpan.FromSeconds(seconds), operation, state);
        }
    }

    private static async Task<bool> Done(Task call)
    {
        await call;
        return true;
    }

    /// <summary>One page of 100; the worker goes on from where its last page ended, and starts over after the last.</summary>
    private static async Task<bool> ScanPageAsync(BenchTable table, Worker worker)
    {
        var response = await table.Client.ScanAsync(new ScanRequest
        {
            TableName = table.Name,
            Limit = 100,
            ExclusiveStartKey = worker.State as Dictionary<string, AttributeValue>,
        });
        worker.State = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        return true;
    }

    /// <summary>
    /// Read-modify-write on 10 hot items (<c>pk = "cond{j}"</c>, <c>sk = 0</c>, reset to <c>ver = 0</c> first):
    /// a consistent GetItem, then <c>SET ver = ver + :one</c> on condition <c>ver = :seen</c>, again after a
    /// conflict. One operation is one successful increment, its latency includes its conflicts. At the end the
    /// counters must add up to the successful increments of the warm-up and the run.
    /// </summary>
    private static async Task<RunResult> ConditionalAsync(BenchTable table, int workers, TimeSpan warmup, TimeSpan duration)
    {
        static Dictionary<string, AttributeValue> Key(int j) => BenchTable.Key("cond" + j, 0);
        for (var j = 0; j < CondItems; j++)
        {
            var item = Key(j);
            item["ver"] = new AttributeValue { N = "0" };
            await table.Client.PutItemAsync(new PutItemRequest { TableName = table.Name, Item = item });
        }
        long succeeded = 0, conflicts = 0, uncertain = 0;
        var stopAt = long.MaxValue;
        async Task<bool> Increment(Worker worker)
        {
            var key = Key(worker.Random.Next(CondItems));
            while (System.Diagnostics.Stopwatch.GetTimestamp() < stopAt)
            {
                var read = await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = key, ConsistentRead = true });
                var seen = read.Item["ver"].N;
                try
                {
                    await table.Client.UpdateItemAsync(new UpdateItemRequest
                    {
                        TableName = table.Name,
                        Key = key,
                        UpdateExpression = "SET ver = ver + :one",
                        ConditionExpression = "ver = :seen",
                        ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" }, [":seen"] = new AttributeValue { N = seen } },
                    });
                    Interlocked.Increment(ref succeeded);
                    return true;
                }
                catch (ConditionalCheckFailedException)
                {
                    Interlocked.Increment(ref conflicts);
                }
                catch
                {
                    Interlocked.Increment(ref uncertain); // the update may or may not have been applied
                    throw;
                }
            }
            return false;
        }

        var state = Enumerable.Range(0, workers).Select(i => new Worker(i)).ToArray();
        RunResult? result = null;
        foreach (var (phase, length) in new[] { ("warm-up", warmup), ("run", duration) })
        {
            if (length <= TimeSpan.Zero) continue;
            var conflictsBefore = Interlocked.Read(ref conflicts);
            // A worker still retrying after the run's end gives up a little later (bounded by the SDK timeout).
            stopAt = System.Diagnostics.Stopwatch.GetTimestamp() + (long)((length.TotalSeconds + 5) * System.Diagnostics.Stopwatch.Frequency);
            result = await ClosedLoop.RunAsync("cond", workers, length, Increment, state) with { Conflicts = Interlocked.Read(ref conflicts) - conflictsBefore };
        }

        long sum = 0;
        for (var j = 0; j < CondItems; j++)
        {
            var read = await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = Key(j), ConsistentRead = true });
            sum += long.Parse(read.Item["ver"].N, CultureInfo.InvariantCulture);
        }
        var pass = uncertain == 0 ? sum == succeeded : sum >= succeeded && sum <= succeeded + uncertain;
        var check = $"{(pass ? "PASS" : "FAIL")}: sum(ver) = {sum}, successful conditional updates = {succeeded}" +
                    (uncertain > 0 ? $" (+ up to {uncertain} failed calls whose outcome is unknown)" : "");
        return result! with { Check = check };
    }

    /// <param name="loadRate">Items per second of the BatchWriteItem load, when this run loaded the table.</param>
    private static void WriteJson(string path, string endpoint, string table, int items, int workers, double seconds, string keys, List<RunResult> results,
        double? loadRate)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("endpoint", endpoint);
        json.WriteString("table", table);
        json.WriteNumber("items", items);
        json.WriteNumber("workers", workers);
        json.WriteNumber("seconds", seconds);
        json.WriteString("keys", keys);
        if (loadRate is { } rate) json.WriteNumber("loadItemsPerSecond", Math.Round(rate, 1));
        json.WriteStartArray("results");
        foreach (var r in results)
        {
            json.WriteStartObject();
            json.WriteString("workload", r.Workload);
            json.WriteNumber("ops", r.Ops);
            json.WriteNumber("seconds", Math.Round(r.Seconds, 3));
            json.WriteNumber("opsPerSecond", Math.Round(r.OpsPerSecond, 1));
            json.WriteNumber("p50Ms", Math.Round(r.Latency.P50Ms, 3));
            json.WriteNumber("p99Ms", Math.Round(r.Latency.P99Ms, 3));
            json.WriteNumber("maxMs", Math.Round(r.Latency.MaxMs, 3));
            json.WriteNumber("errors", r.Errors);
            json.WriteNumber("conflicts", r.Conflicts);
            if (r.Check is not null)
            {
                json.WriteBoolean("pass", r.Check.StartsWith("PASS", StringComparison.Ordinal));
                json.WriteString("check", r.Check);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
