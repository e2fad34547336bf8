namespace OrleansDynamo.Placement;

/// <summary>Move <see cref="Count"/> partitions from one silo to another.</summary>
public sealed record PartitionMove<TSilo>(TSilo From, TSilo To, int Count);

/// <summary>
/// Decides which silos hand partitions to which, so that every silo ends with the same count give or take
/// one. Pure and deterministic: every silo computes the same plan from the same census, then carries out
/// only the moves that start from itself, so no coordinator is needed.
/// </summary>
public static class RebalancePlan
{
    /// <param name="counts">Partitions per silo, including silos that host none.</param>
    /// <param name="tolerance">The spread (largest minus smallest count) left alone.</param>
    public static IReadOnlyList<PartitionMove<TSilo>> Compute<TSilo>(IReadOnlyDictionary<TSilo, int> counts, int tolerance = 1)
        where TSilo : notnull
    {
        if (counts.Count < 2) return [];
        if (counts.Values.Max() - counts.Values.Min() <= Math.Max(1, tolerance)) return [];

        // Busiest first; ties in a fixed order, so that every silo agrees on the plan.
        var silos = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal).ToList();
        var total = silos.Sum(s => s.Value);
        var fairShare = total / silos.Count;
        var withOneMore = total % silos.Count; // the busiest silos keep one extra partition
        var surplus = new List<(TSilo Silo, int Count)>();
        var deficit = new List<(TSilo Silo, int Count)>();
        for (var i = 0; i < silos.Count; i++)
        {
            var target = fairShare + (i < withOneMore ? 1 : 0);
            var difference = silos[i].Value - target;
            if (difference > 0) surplus.Add((silos[i].Key, difference));
            else if (difference < 0) deficit.Add((silos[i].Key, -difference));
        }

        var moves = new List<PartitionMove<TSilo>>();
        for (int s = 0, d = 0; s < surplus.Count && d < deficit.Count;)
        {
            var count = Math.Min(surplus[s].Count, deficit[d].Count);
            moves.Add(new PartitionMove<TSilo>(surplus[s].Silo, deficit[d].Silo, count));
            surplus[s] = (surplus[s].Silo, surplus[s].Count - count);
            deficit[d] = (deficit[d].Silo, deficit[d].Count - count);
            if (surplus[s].Count == 0) s++;
            if (deficit[d].Count == 0) d++;
        }
        return moves;
    }
}
