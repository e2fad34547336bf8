using System.Diagnostics;

namespace OrleansDynamo.LoadGenerator;

/// <summary>A closed-loop worker: its own random numbers and whatever state its workload keeps (a scan position).</summary>
public sealed class Worker(int index)
{
    public int Index { get; } = index;
    public Random Random { get; } = new(index * 7919 + Environment.TickCount);
    public object? State { get; set; }
}

public sealed record RunResult(string Workload, long Ops, double Seconds, LatencySummary Latency, long Errors)
{
    public double OpsPerSecond => Seconds > 0 ? Ops / Seconds : 0;
    public long Conflicts { get; init; }
    public string? Check { get; init; }
}

/// <summary>
/// Runs one operation in a loop on each of N workers, each issuing its next call when the previous one answered,
/// until the time is up (a call in flight then finishes: the SDK client's timeout bounds it). Latencies of
/// completed operations go to per-worker arrays; a failed call counts as an error, not as a latency.
/// </summary>
public static class ClosedLoop
{
    /// <summary>
    /// The operation returns false when it gave up without completing (a conditional update whose retries ran
    /// out of time): neither an operation nor an error.
    /// </summary>
    public static async Task<RunResult> RunAsync(string workload, int workers, TimeSpan duration, Func<Worker, Task<bool>> operation,
        Worker[]? state = null)
    {
        state ??= Enumerable.Range(0, workers).Select(i => new Worker(i)).ToArray();
        var recorders = new LatencyRecorder[workers];
        var errors = new long[workers];
        var firstErrors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var recorder = recorders[w] = new LatencyRecorder();
            var worker = state[w];
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (await operation(worker)) recorder.Record(Stopwatch.GetTimestamp() - start);
                }
                catch (Exception e)
                {
                    if (errors[w]++ == 0 && firstErrors.Count < 3) firstErrors.Enqueue($"{e.GetType().Name}: {e.Message}");
                    await Task.Delay(5); // a server that refuses at once must not turn the loop into a spin
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var error in firstErrors) Console.Error.WriteLine($"  {workload}: {error}");
        var latency = LatencySummary.Of(recorders);
        return new RunResult(workload, latency.Count, seconds, latency, errors.Sum());
    }

    public static string Header => $"{"workload",-10} {"ops/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}";

    public static string Line(RunResult r) =>
        $"{r.Workload,-10} {r.OpsPerSecond,10:F0} {r.Latency.P50Ms,8:F2} {r.Latency.P99Ms,8:F2} {r.Errors,7}" +
        (r.Conflicts > 0 || r.Check is not null ? $"   conflicts {r.Conflicts}" : "") + (r.Check is null ? "" : $"   {r.Check}");
}
