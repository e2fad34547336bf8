using System.Diagnostics;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// One worker's latencies, in <see cref="Stopwatch"/> ticks, in an array allocated before the run (it doubles if a
/// run outgrows it). Percentiles are exact: <see cref="LatencySummary.Of"/> sorts every sample of every worker.
/// </summary>
public sealed class LatencyRecorder(int capacity = 1 << 16)
{
    private long[] _samples = new long[capacity];

    public int Count { get; private set; }

    public void Record(long ticks)
    {
        if (Count == _samples.Length) Array.Resize(ref _samples, _samples.Length * 2);
        _samples[Count++] = ticks;
    }

    public ReadOnlySpan<long> Samples => _samples.AsSpan(0, Count);
}

public readonly record struct LatencySummary(long Count, double P50Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary Of(IEnumerable<LatencyRecorder> recorders)
    {
        var list = recorders.ToList();
        var all = new long[list.Sum(r => r.Count)];
        var at = 0;
        foreach (var recorder in list)
        {
            recorder.Samples.CopyTo(all.AsSpan(at));
            at += recorder.Count;
        }
        return OfTicks(all);
    }

    /// <summary>Sorts <paramref name="ticks"/> in place.</summary>
    public static LatencySummary OfTicks(long[] ticks)
    {
        if (ticks.Length == 0) return default;
        Array.Sort(ticks);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        // Nearest rank: the smallest sample with at least p of the samples at or below it.
        double Percentile(double p) => Ms(ticks[Math.Clamp((int)Math.Ceiling(p * ticks.Length) - 1, 0, ticks.Length - 1)]);
        return new LatencySummary(ticks.Length, Percentile(0.50), Percentile(0.99), Ms(ticks[^1]));
    }
}
