using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansDynamo.Hosting;

/// <summary>
/// OrleansDynamo's own telemetry, under one name (<c>OrleansDynamo</c>) for both: the meter that every
/// <c>orleansdynamo.*</c> metric is on, and the activity source of the spans Orleans and ASP.NET Core do not make
/// (the store commit). Hosts subscribe by that name: <c>AddMeter(Name)</c>, <c>AddSource(Name)</c>.
/// </summary>
public static class OrleansDynamoTelemetry
{
    public const string Name = "OrleansDynamo";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    // Requests

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "orleansdynamo.requests", "{request}", "DynamoDB requests served, by operation and table");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "orleansdynamo.request.duration", "s", "Time from a request's arrival (its body read, over HTTP) to its answer, by operation",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "orleansdynamo.errors", "{error}", "Requests answered with an error, by operation and DynamoDB error type (__type)");

    /// <summary>One request served, over HTTP or through the request gate for Orleans clients.</summary>
    public static void RecordRequest(string operation, string? table, string? errorType, long startedAt)
    {
        var byOperation = new KeyValuePair<string, object?>("operation", operation);
        Requests.Add(1, byOperation, new KeyValuePair<string, object?>("table", table ?? ""));
        Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, byOperation);
        if (errorType is not null) Errors.Add(1, byOperation, new KeyValuePair<string, object?>("error.type", errorType));
    }

    /// <summary>The one table a request names, for operations on one table; null for the others.</summary>
    public static string? TableOf(object request) => request switch
    {
        Operations.GetItemRequest r => r.TableName,
        Operations.PutItemRequest r => r.TableName,
        Operations.UpdateItemRequest r => r.TableName,
        Operations.DeleteItemRequest r => r.TableName,
        Operations.QueryRequest r => r.TableName,
        Operations.ScanRequest r => r.TableName,
        Operations.CreateTableRequest r => r.TableName,
        Operations.DescribeTableRequest r => r.TableName,
        Operations.UpdateTableRequest r => r.TableName,
        Operations.DeleteTableRequest r => r.TableName,
        Operations.UpdateTimeToLiveRequest r => r.TableName,
        Operations.DescribeTimeToLiveRequest r => r.TableName,
        _ => null,
    };

    // Capacity

    private static readonly Counter<double> Consumed = Meter.CreateCounter<double>(
        "orleansdynamo.capacity.consumed", "{unit}", "Capacity units consumed, by table, index (empty for the table itself) and kind (read or write)");

    private static readonly Counter<long> Throttled = Meter.CreateCounter<long>(
        "orleansdynamo.requests.throttled", "{request}", "Requests (or batch parts) refused for capacity, by table, index, kind and DynamoDB's throttling reason");

    public static void CapacityConsumed(string table, string index, string kind, double units) =>
        Consumed.Add(units, new("table", table), new("index", index), new KeyValuePair<string, object?>("kind", kind));

    public static void RequestThrottled(string table, string index, string kind, string reason)
    {
        var tags = new TagList { { "table", table }, { "index", index }, { "kind", kind }, { "reason", reason } };
        Throttled.Add(1, tags);
    }

    // The store

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "orleansdynamo.store.commit.duration", "s", "Time of one store commit (one group of writes made durable together)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    private static readonly Histogram<int> CommitBatch = Meter.CreateHistogram(
        "orleansdynamo.store.commit.batch_size", "{write}", "Item writes per store commit: above 1, group commit is batching",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    /// <summary>A span for a store commit of <paramref name="writes"/> item writes; null when nobody listens.</summary>
    public static Activity? StartCommit(int writes)
    {
        var activity = Source.StartActivity("store commit", ActivityKind.Internal);
        activity?.SetTag("orleansdynamo.store.writes", writes);
        return activity;
    }

    public static void RecordCommit(int writes, long startedAt)
    {
        CommitDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
        CommitBatch.Record(writes);
    }

    // Partitions

    private static readonly UpDownCounter<int> ActivePartitions = Meter.CreateUpDownCounter<int>(
        "orleansdynamo.partitions.active", "{partition}", "Table partitions active on this silo, serving");

    private static readonly Counter<long> Splits = Meter.CreateCounter<long>(
        "orleansdynamo.partition.splits", "{split}", "Partitions split, by reason (size or heat)");

    private static readonly Counter<long> Moves = Meter.CreateCounter<long>(
        "orleansdynamo.partition.moves", "{partition}", "Partitions this silo's rebalancer sent to another silo");

    public static void PartitionsActive(int change) => ActivePartitions.Add(change);

    public static void PartitionSplit(string reason) => Splits.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void PartitionMoved() => Moves.Add(1);

    // Streams

    private static readonly Histogram<double> IteratorAge = Meter.CreateHistogram(
        "orleansdynamo.streams.iterator_age", "s", "At each GetRecords, the age of the last record it returned (0 when the reader is at the shard's end): how far stream readers lag, by table",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400] });

    /// <summary>One GetRecords on <paramref name="table"/>'s stream; <paramref name="lastWrittenMicros"/> is when its last record was written, null for none.</summary>
    public static void StreamRead(string table, long? lastWrittenMicros, long nowMicros) =>
        IteratorAge.Record(lastWrittenMicros is { } written ? Math.Max(0, nowMicros - written) / 1e6 : 0, new KeyValuePair<string, object?>("table", table));

    // Gauges over what lives in the silo: the item cache (one per silo, for the silo's life) and the index outbox
    // of each active partition (observed from activation to deactivation).

    private static readonly List<WeakReference<Storage.ItemCache>> Caches = [];

    private static readonly ConcurrentDictionary<Partitions.IndexOutbox, byte> Outboxes = new();

    static OrleansDynamoTelemetry()
    {
        Meter.CreateObservableCounter("orleansdynamo.cache.hits", () => SumCaches(cache => cache.Hits), "{read}", "Item reads answered from the item cache");
        Meter.CreateObservableCounter("orleansdynamo.cache.misses", () => SumCaches(cache => cache.Misses), "{read}", "Item reads that went to the store");
        Meter.CreateObservableGauge("orleansdynamo.cache.size", () => SumCaches(cache => cache.SizeBytes), "By", "Bytes the item cache holds, estimated");
        Meter.CreateObservableGauge("orleansdynamo.index.outbox.backlog", () => Outboxes.Keys.Sum(outbox => (long)outbox.Size), "{change}",
            "Changes this silo's partitions have yet to deliver to their global secondary indexes (and index backfill left)");
        Meter.CreateObservableGauge("orleansdynamo.index.outbox.lag", OutboxLag, "s",
            "Age of the oldest change this silo's partitions have yet to deliver to a global secondary index; 0 when none waits");
    }

    private static double OutboxLag()
    {
        var oldest = Outboxes.Keys.Select(outbox => outbox.OldestChangeTicks ?? long.MaxValue).DefaultIfEmpty(long.MaxValue).Min();
        return oldest == long.MaxValue ? 0 : Math.Max(0, TimeSpan.FromTicks(DateTime.UtcNow.Ticks - oldest).TotalSeconds);
    }

    /// <summary>Reports <paramref name="cache"/> in the cache metrics while it lives.</summary>
    public static void Observe(Storage.ItemCache cache)
    {
        lock (Caches) Caches.Add(new WeakReference<Storage.ItemCache>(cache));
    }

    /// <summary>Counts <paramref name="outbox"/> in the backlog while its partition is active.</summary>
    internal static void Observe(Partitions.IndexOutbox outbox) => Outboxes.TryAdd(outbox, 0);

    internal static void Forget(Partitions.IndexOutbox outbox) => Outboxes.TryRemove(outbox, out _);

    private static long SumCaches(Func<Storage.ItemCache, long> measure)
    {
        lock (Caches)
        {
            Caches.RemoveAll(reference => !reference.TryGetTarget(out _));
            return Caches.Sum(reference => reference.TryGetTarget(out var cache) ? measure(cache) : 0);
        }
    }
}
