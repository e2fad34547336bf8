using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Writers that spread requests over the live silos and retry a failed request on the next silo until it
/// is answered. Every attempt's failure is recorded with its time, to measure recovery after a kill.
/// </summary>
internal sealed class ClusterLoad(SiloCluster cluster)
{
    private const int Counters = 4;
    private readonly ConcurrentQueue<(long EndedAt, string Error)> _failures = new();
    private readonly ConcurrentQueue<long> _acknowledgedAt = new();
    private int _nextItem;
    private int _nextIncrement;

    public ConcurrentDictionary<string, string> AttemptedPuts { get; } = new();
    public ConcurrentDictionary<string, string> Puts { get; } = new();

    /// <summary>Acknowledged increments: unique id → counter.</summary>
    public ConcurrentDictionary<string, string> Increments { get; } = new();

    public long KilledAt { get; set; } = long.MaxValue;

    private IEnumerable<(long EndedAt, string Error)> FailuresSinceKill => _failures.Where(f => f.EndedAt >= KilledAt);

    public int FailuresAfterKill => FailuresSinceKill.Count();

    public TimeSpan RecoveryTime => FailuresSinceKill.Select(f => Stopwatch.GetElapsedTime(KilledAt, f.EndedAt)).DefaultIfEmpty().Max();

    /// <summary>The longest time after the kill in which no write was acknowledged: how long service was out.</summary>
    public TimeSpan LongestStallAfterKill
    {
        get
        {
            var times = _acknowledgedAt.Where(t => t >= KilledAt).Order().Prepend(KilledAt).ToList();
            return times.Zip(times.Skip(1), (from, to) => Stopwatch.GetElapsedTime(from, to)).DefaultIfEmpty().Max();
        }
    }

    public string ErrorSummary => string.Join("; ", _failures.GroupBy(f => f.Error).Select(g => $"{g.Count()} × {g.Key}"));

    public async Task PutItemsAsync(int writer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var key = $"item-{Interlocked.Increment(ref _nextItem):D6}";
            var value = $"{key}:{Guid.NewGuid():N}";
            AttemptedPuts[key] = value;
            var item = new Dictionary<string, AttributeValue> { ["pk"] = S(key), ["v"] = S(value) };
            await UntilAnsweredAsync(writer, client => client.PutItemAsync("items", item));
            Puts[key] = value;
            _acknowledgedAt.Enqueue(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// n = n + 1 together with the increment's unique id, on the condition that the id is not there yet:
    /// a retry whose first attempt did commit fails its condition instead of counting twice.
    /// </summary>
    public async Task IncrementCountersAsync(int writer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var index = Interlocked.Increment(ref _nextIncrement);
            var id = $"inc-{index:D6}";
            var counter = Counter(index % Counters);
            var request = new UpdateItemRequest
            {
                TableName = "counters",
                Key = new() { ["pk"] = S(counter) },
                UpdateExpression = "SET n = n + :one ADD ids :ids",
                ConditionExpression = "attribute_exists(pk) AND NOT contains(ids, :id)",
                ExpressionAttributeValues = new()
                {
                    [":one"] = new AttributeValue { N = "1" },
                    [":ids"] = new AttributeValue { SS = [id] },
                    [":id"] = S(id),
                },
            };
            var attempts = 0;
            await UntilAnsweredAsync(writer, async client =>
            {
                try
                {
                    attempts++;
                    await client.UpdateItemAsync(request);
                }
                catch (ConditionalCheckFailedException) when (attempts > 1)
                {
                    // An earlier attempt committed, though its answer was lost: the increment is in.
                }
            });
            Increments[id] = counter;
            _acknowledgedAt.Enqueue(Stopwatch.GetTimestamp());
        }
    }

    private async Task UntilAnsweredAsync(int writer, Func<IAmazonDynamoDB, Task> call)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            var silo = cluster.LiveSilo(writer + attempt);
            try
            {
                await call(cluster.ClientOf(silo));
                return;
            }
            catch (Exception e) when (e is AmazonServiceException { StatusCode: System.Net.HttpStatusCode.InternalServerError }
                                          or HttpRequestException or TaskCanceledException or IOException
                                      && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                // A request to the silo being killed is the load balancer's loss, not the cluster's.
                if (!cluster.IsKilled(silo)) _failures.Enqueue((Stopwatch.GetTimestamp(), $"{e.GetType().Name}: {e.Message}"));
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Creates the two tables, with the counters at 0.</summary>
    public static async Task<ClusterLoad> CreateTablesAsync(SiloCluster cluster)
    {
        await cluster.CreateTableAsync("items");
        await cluster.CreateTableAsync("counters");
        for (var c = 0; c < Counters; c++)
            await cluster.Clients[0].PutItemAsync("counters", new() { ["pk"] = S(Counter(c)), ["n"] = new AttributeValue { N = "0" } });
        return new ClusterLoad(cluster);
    }

    /// <summary>Unique-id puts and conditional increments until <paramref name="stop"/>.</summary>
    public Task RunAsync(int writers, int counterWriters, CancellationToken stop) => Task.WhenAll(
        Enumerable.Range(0, writers).Select(w => PutItemsAsync(w, stop))
            .Concat(Enumerable.Range(0, counterWriters).Select(w => IncrementCountersAsync(w, stop))));

    /// <summary>Every acknowledged put is stored, no item was made up, and each counter took each acknowledged increment once.</summary>
    public async Task AssertNothingLostAsync(IAmazonDynamoDB client)
    {
        var stored = await ScanAllAsync(client, "items");
        Assert.Equal(stored.Count, stored.Select(i => i["pk"].S).Distinct().Count());
        var storedByKey = stored.ToDictionary(i => i["pk"].S, i => i["v"].S);
        foreach (var (key, value) in Puts)
            Assert.True(storedByKey.TryGetValue(key, out var found) && found == value, $"acknowledged write {key} was lost");
        foreach (var key in storedByKey.Keys)
            Assert.True(AttemptedPuts.ContainsKey(key), $"item {key} was never written");

        foreach (var item in await ScanAllAsync(client, "counters"))
        {
            var counter = item["pk"].S;
            var applied = item.TryGetValue("ids", out var ids) ? ids.SS.ToHashSet() : [];
            var acknowledged = Increments.Where(i => i.Value == counter).Select(i => i.Key).ToHashSet();
            Assert.Equal(applied.Count, int.Parse(item["n"].N)); // no increment counted twice
            Assert.Equal(acknowledged.Count, applied.Count);       // every increment answered, none lost
            Assert.Subset(applied, acknowledged);
        }
    }

    private static string Counter(int index) => $"counter-{index}";

    private static AttributeValue S(string value) => new() { S = value };

    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAllAsync(IAmazonDynamoDB client, string table)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        return items;
    }
}
