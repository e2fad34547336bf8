using OrleansDynamo.Placement;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>The plan every silo computes from the partition census, and carries out for its own share.</summary>
public class RebalancePlanTests
{
    [Fact]
    public void A_joining_silo_gets_its_share_from_every_busy_silo()
    {
        var moves = RebalancePlan.Compute(new Dictionary<string, int> { ["a"] = 8, ["b"] = 8, ["c"] = 8, ["d"] = 0 });

        Assert.Equal([new("a", "d", 2), new("b", "d", 2), new("c", "d", 2)], moves);
    }

    [Fact]
    public void Partitions_of_a_dead_silo_placed_unevenly_are_evened_out()
    {
        var moves = RebalancePlan.Compute(new Dictionary<string, int> { ["a"] = 17, ["b"] = 11 });

        Assert.Equal([new("a", "b", 3)], moves);
    }

    [Fact]
    public void A_spread_of_one_is_left_alone()
    {
        Assert.Empty(RebalancePlan.Compute(new Dictionary<string, int> { ["a"] = 7, ["b"] = 6, ["c"] = 6 }));
        Assert.Empty(RebalancePlan.Compute(new Dictionary<string, int> { ["a"] = 40 }));
    }

    [Fact]
    public void Every_silo_ends_within_one_of_the_others()
    {
        var counts = new Dictionary<string, int> { ["a"] = 13, ["b"] = 0, ["c"] = 5, ["d"] = 1, ["e"] = 9 };

        foreach (var move in RebalancePlan.Compute(counts))
        {
            counts[move.From] -= move.Count;
            counts[move.To] += move.Count;
        }

        Assert.Equal(28, counts.Values.Sum());
        Assert.True(counts.Values.Max() - counts.Values.Min() <= 1, string.Join(", ", counts));
    }
}
