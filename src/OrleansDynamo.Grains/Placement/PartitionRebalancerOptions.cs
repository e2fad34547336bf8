namespace OrleansDynamo.Placement;

/// <summary>How the silos even out the number of partitions each hosts.</summary>
public sealed class PartitionRebalancerOptions
{
    /// <summary>How often each silo compares partition counts; <see cref="TimeSpan.Zero"/> turns rebalancing off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The spread between the busiest and the idlest silo that is left alone (at least 1).</summary>
    public int Tolerance { get; set; } = 1;

    /// <summary>At most this many partitions leave one silo per round, so a join never moves everything at once.</summary>
    public int MaxMigrationsPerRound { get; set; } = 16;
}
