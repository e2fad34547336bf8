using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// DynamoDB Streams, in one run against a running server:
/// <code>
///   streams --endpoint http://127.0.0.1:8000 [--workers 32] [--seconds 10] [--warmup 5] [--rate 1000] [--shard-records 20000]
/// </code>
/// <c>put</c> / <c>put+stream</c>: closed-loop PutItem of 1 KB items into a table without a stream and one with a
/// NEW_AND_OLD_IMAGES stream, twice each, alternating (the ratio of their sums is the figure; goal ≥ 0.8x);
/// <c>lag</c>: PutItem paced at <c>--rate</c> per second while a reader polls every shard, from each write's
/// acknowledgement to its record being read (goal p99 ≤ 50 ms); <c>get-records</c>: one shard of
/// <c>--shard-records</c> records read to its end with Limit 1000, in records per second.
/// Writes go through the AWS SDK; the Streams API is called as plain JSON over HTTP (the .NET SDK has no Streams client).
/// </summary>
public static class StreamScenario
{
    private static readonly string Payload = new('x', 1000);

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var endpoint = args.String("endpoint", "http://127.0.0.1:8000");
        var workers = args.Int("workers", 32);
        var seconds = args.Double("seconds", 10);
        var warmup = args.Double("warmup", 5);
        var rate = args.Int("rate", 1000);
        var shardRecords = args.Int("shard-records", 20000);
        args.ThrowOnUnknown();

        using var client = BenchTable.CreateClient(endpoint, maxErrorRetry: 0);
        using var streams = new StreamsHttp(endpoint);
        var run = Guid.NewGuid().ToString("N")[..8];
        var plain = await CreateAsync(client, $"plain-{run}", stream: false);
        var streamed = await CreateAsync(client, $"streamed-{run}", stream: true);
        Console.WriteLine($"{endpoint}: {workers} workers, {seconds:0.##} s per round after {warmup:0.##} s warm-up");
        Console.WriteLine(ClosedLoop.Header);

        Func<Worker, Task<bool>> Put(string table) => async w =>
        {
            await client.PutItemAsync(table, new() { ["pk"] = new AttributeValue($"k{w.Random.Next(100_000)}"), ["data"] = new AttributeValue(Payload) });
            return true;
        };
        await ClosedLoop.RunAsync("warm-up", workers, TimeSpan.FromSeconds(warmup), Put(plain));
        await ClosedLoop.RunAsync("warm-up", workers, TimeSpan.FromSeconds(warmup), Put(streamed));
        double without = 0, with = 0;
        for (var round = 0; round < 2; round++)
        {
            var a = await ClosedLoop.RunAsync("put", workers, TimeSpan.FromSeconds(seconds), Put(plain));
            Console.WriteLine(ClosedLoop.Line(a));
            var b = await ClosedLoop.RunAsync("put+stream", workers, TimeSpan.FromSeconds(seconds), Put(streamed));
            Console.WriteLine(ClosedLoop.Line(b));
            without += a.OpsPerSecond;
            with += b.OpsPerSecond;
        }
        Console.WriteLine($"write throughput with a NEW_AND_OLD_IMAGES stream / without: {with / without:F2}x");

        var lag = await MeasureLagAsync(client, streams, await CreateAsync(client, $"lag-{run}", stream: true), rate, seconds);
        Console.WriteLine($"stream lag at {rate} writes/s: {lag.Count} records, p50 {lag.P50Ms:F2} ms, p99 {lag.P99Ms:F2} ms, max {lag.MaxMs:F2} ms");

        var perSecond = await MeasureGetRecordsAsync(client, streams, await CreateAsync(client, $"shard-{run}", stream: true, rangeKey: true), shardRecords);
        Console.WriteLine($"GetRecords, one shard: {perSecond:F0} records/s");
        return 0;
    }

    private static async Task<LatencySummary> MeasureLagAsync(IAmazonDynamoDB client, StreamsHttp streams, string table, int rate, double seconds)
    {
        var arn = (await client.DescribeTableAsync(table)).Table.LatestStreamArn;
        var acknowledged = new ConcurrentDictionary<string, long>();
        var lags = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var iterators = new Dictionary<string, string?>();
            foreach (var shard in (await streams.CallAsync("DescribeStream", new { StreamArn = arn }))["StreamDescription"]!["Shards"]!.AsArray())
            {
                var id = shard!["ShardId"]!.GetValue<string>();
                iterators[id] = (await streams.CallAsync("GetShardIterator", new { StreamArn = arn, ShardId = id, ShardIteratorType = "LATEST" }))["ShardIterator"]!.GetValue<string>();
            }
            while (!stop.IsCancellationRequested)
            {
                var any = false;
                foreach (var (id, iterator) in iterators.ToList())
                {
                    var page = await streams.CallAsync("GetRecords", new { ShardIterator = iterator });
                    var read = Stopwatch.GetTimestamp();
                    foreach (var record in page["Records"]!.AsArray())
                    {
                        any = true;
                        var key = record!["dynamodb"]!["Keys"]!["pk"]!["S"]!.GetValue<string>();
                        // A record can be read before its write's answer is back: that is no lag at all.
                        lags.Enqueue(acknowledged.TryRemove(key, out var ack) ? Math.Max(0, read - ack) : 0);
                    }
                    iterators[id] = page["NextShardIterator"]?.GetValue<string>();
                }
                if (!any) await Task.Delay(1);
            }
        });
        var interval = Stopwatch.Frequency / rate;
        var next = Stopwatch.GetTimestamp();
        var end = next + (long)(seconds * Stopwatch.Frequency);
        var writes = new List<Task>();
        for (var i = 0; Stopwatch.GetTimestamp() < end; i++)
        {
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            next += interval;
            var key = $"lag{i}";
            writes.Add(client.PutItemAsync(table, new() { ["pk"] = new AttributeValue(key), ["data"] = new AttributeValue("x") })
                .ContinueWith(_ => acknowledged.TryAdd(key, Stopwatch.GetTimestamp()), TaskScheduler.Default));
        }
        await Task.WhenAll(writes);
        await Task.Delay(500);
        stop.Cancel();
        await reader;
        return LatencySummary.OfTicks([.. lags]);
    }

    private static async Task<double> MeasureGetRecordsAsync(IAmazonDynamoDB client, StreamsHttp streams, string table, int records)
    {
        // One partition key: every record in one shard.
        await Parallel.ForEachAsync(Enumerable.Range(0, records), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await client.PutItemAsync(table, new() { ["pk"] = new AttributeValue("one"), ["sk"] = new AttributeValue { N = i.ToString(CultureInfo.InvariantCulture) }, ["data"] = new AttributeValue(Payload[..100]) }));
        var arn = (await client.DescribeTableAsync(table)).Table.LatestStreamArn;
        var clock = Stopwatch.StartNew();
        var read = 0;
        foreach (var shard in (await streams.CallAsync("DescribeStream", new { StreamArn = arn }))["StreamDescription"]!["Shards"]!.AsArray())
        {
            string? iterator = (await streams.CallAsync("GetShardIterator", new { StreamArn = arn, ShardId = shard!["ShardId"]!.GetValue<string>(), ShardIteratorType = "TRIM_HORIZON" }))["ShardIterator"]!.GetValue<string>();
            while (iterator is not null)
            {
                var page = await streams.CallAsync("GetRecords", new { ShardIterator = iterator, Limit = 1000 });
                var count = page["Records"]!.AsArray().Count;
                if (count == 0) break;
                read += count;
                iterator = page["NextShardIterator"]?.GetValue<string>();
            }
        }
        if (read != records) throw new InvalidOperationException($"read {read} records of {records}");
        return read / clock.Elapsed.TotalSeconds;
    }

    private static async Task<string> CreateAsync(IAmazonDynamoDB client, string name, bool stream, bool rangeKey = false)
    {
        var request = new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            StreamSpecification = stream ? new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES } : null,
        };
        if (rangeKey)
        {
            request.KeySchema.Add(new KeySchemaElement("sk", KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition("sk", ScalarAttributeType.N));
        }
        await client.CreateTableAsync(request);
        return name;
    }

    /// <summary>The DynamoDB Streams JSON protocol, plainly: the target header and the body.</summary>
    private sealed class StreamsHttp(string endpoint) : IDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = new Uri(endpoint) };

        public async Task<JsonNode> CallAsync(string operation, object input)
        {
            using var content = new StringContent(JsonSerializer.Serialize(input), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
            request.Headers.Add("X-Amz-Target", "DynamoDBStreams_20120810." + operation);
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"{operation}: {body}");
        }

        public void Dispose() => _http.Dispose();
    }
}
