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
}
