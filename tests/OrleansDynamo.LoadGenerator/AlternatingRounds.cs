namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// Callers measured against each other in one run: a warm-up each, then rounds in which every caller runs for the same
/// time, forward in even rounds and backward in odd ones so that a place in the round favours nobody. Medians.
/// </summary>
internal sealed class AlternatingRounds(IReadOnlyList<(string Name, Func<string, CancellationToken, Task> Call)> callers, int rounds, TimeSpan duration, int workers)
{
    private readonly Dictionary<string, List<ClientVsHttpBenchmark.Result>> _results = callers.ToDictionary(c => c.Name, _ => new List<ClientVsHttpBenchmark.Result>());

    public async Task<AlternatingRounds> RunAsync()
    {
        foreach (var caller in callers) await ClientVsHttpBenchmark.MeasureAsync(caller.Call, TimeSpan.FromSeconds(3), workers);
        for (var round = 0; round < rounds; round++)
            foreach (var caller in round % 2 == 0 ? callers : callers.Reverse())
                _results[caller.Name].Add(await ClientVsHttpBenchmark.MeasureAsync(caller.Call, duration, workers));
        return this;
    }

    public void Print(string what)
    {
        Console.WriteLine($"{what}, {workers} workers, {rounds} alternating rounds of {duration.TotalSeconds:F0} s, in-memory storage (medians)");
        Console.WriteLine($"{"caller",-22} {"ops/s",10} {"p50 ms",8} {"p99 ms",8}");
        foreach (var (name, list) in _results)
            Console.WriteLine($"{name,-22} {Median(list.Select(r => r.Throughput)),10:F0} {Median(list.Select(r => r.P50)),8:F2} {Median(list.Select(r => r.P99)),8:F2}");
    }

    /// <summary>The median throughput of <paramref name="measured"/> over that of <paramref name="reference"/>.</summary>
    public double Ratio(string measured, string reference) =>
        Median(_results[measured].Select(r => r.Throughput)) / Median(_results[reference].Select(r => r.Throughput));

    private double Median(IEnumerable<double> values) => values.Order().ElementAt(rounds / 2);
}
