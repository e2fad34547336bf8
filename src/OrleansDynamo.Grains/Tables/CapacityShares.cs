using OrleansDynamo.Grains;

namespace OrleansDynamo.Tables;

/// <summary>
/// Adaptive capacity for one table and its global indexes: each partition enforces its share of the table's
/// (or index's) units per second by itself, and reports here what it was asked for once per window. Shares
/// are max-min fair on demand: every partition keeps a floor, busy partitions get what quiet ones leave
/// unused (up to their demand), and whatever no one asked for is spread evenly. In memory only: after a
/// restart partitions start from even shares and full buckets again.
/// </summary>
internal sealed class CapacityShares
{
    /// <summary>The part of the throughput every partition keeps whatever the others ask for, spread evenly.</summary>
    private const double FloorPart = 0.2;

    /// <summary>A report older than this many seconds counts as no demand (the partition went quiet or away).</summary>
    private const double StaleSeconds = 5;

    private sealed class Seen
    {
        public IReadOnlyDictionary<string, double> Demand = new Dictionary<string, double>();
        public IReadOnlyDictionary<string, double>? Levels;
        public double At;
    }

    private readonly Dictionary<(string Space, int PartitionId), Seen> _partitions = [];

    /// <summary>Takes a report of a partition of a space whose partitions are <paramref name="partitionIds"/>, and answers its shares.</summary>
    public CapacityGrant Share(CapacityReport report, bool activating, IReadOnlyList<int> partitionIds, double now)
    {
        var space = report.IndexId ?? "";
        if (!_partitions.TryGetValue((space, report.PartitionId), out var seen)) _partitions[(space, report.PartitionId)] = seen = new Seen();
        var levels = activating ? seen.Levels : null;
        seen.Demand = report.Demand;
        seen.Levels = report.Levels.Count > 0 ? report.Levels : seen.Levels;
        seen.At = now;
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        var at = partitionIds.ToList().IndexOf(report.PartitionId);
        foreach (var bucket in report.Demand.Keys)
        {
            var demands = partitionIds.Select(id => _partitions.TryGetValue((space, id), out var other) && now - other.At < StaleSeconds
                ? other.Demand.GetValueOrDefault(bucket) : 0).ToArray();
            shares[bucket] = at < 0 ? 1.0 / Math.Max(1, partitionIds.Count) : Allocate(demands)[at];
        }
        return new CapacityGrant(shares, levels);
    }

    /// <summary>A split: the child starts with <paramref name="childFraction"/> of what the parent last held, the parent keeps the rest.</summary>
    public void Split(string? indexId, int parentId, int childId, double childFraction)
    {
        var space = indexId ?? "";
        if (!_partitions.TryGetValue((space, parentId), out var parent) || parent.Levels is not { } levels) return;
        parent.Levels = levels.ToDictionary(e => e.Key, e => e.Value * (1 - childFraction), StringComparer.Ordinal);
        _partitions[(space, childId)] = new Seen { Levels = levels.ToDictionary(e => e.Key, e => e.Value * childFraction, StringComparer.Ordinal) };
    }

    /// <summary>
    /// Fractions of the throughput, summing to 1, for partitions asking for <paramref name="demands"/> (each a
    /// fraction of the throughput per second).
    /// </summary>
    internal static double[] Allocate(IReadOnlyList<double> demands)
    {
        var count = demands.Count;
        var floor = FloorPart / count;
        var shares = Enumerable.Repeat(floor, count).ToArray();
        var left = 1 - FloorPart;
        // Water-filling: the smallest wants first, each getting at most an even part of what is left.
        var order = Enumerable.Range(0, count).OrderBy(i => demands[i]).ToArray();
        for (var n = 0; n < count; n++)
        {
            var i = order[n];
            var given = Math.Min(Math.Max(0, demands[i] - floor), left / (count - n));
            shares[i] += given;
            left -= given;
        }
        for (var i = 0; i < count; i++) shares[i] += left / count;
        return shares;
    }
}
