namespace OrleansDynamo.Throughput;

/// <summary>
/// Capacity units per second with DynamoDB's burst capacity: units left unused accumulate, up to
/// <c>rate × burst seconds</c> (at least one second's worth). A request is admitted while the bucket holds
/// any units and is charged what it used once that is known (a read's size is known only after the read),
/// so the level can go below zero; it refills at the rate, and the next request waits for that.
/// Times are seconds on one monotonic clock (<see cref="CapacityClock"/>).
/// </summary>
public sealed class TokenBucket
{
    private double _level;
    private double _at;

    /// <param name="level">The units the bucket starts with; full when null.</param>
    public TokenBucket(double rate, double burstSeconds, double now, double? level = null)
    {
        Rate = rate;
        BurstSeconds = burstSeconds;
        _at = now;
        _level = Math.Min(level ?? Capacity, Capacity);
    }

    /// <summary>Units per second.</summary>
    public double Rate { get; private set; }

    public double BurstSeconds { get; }

    /// <summary>The most units the bucket holds.</summary>
    public double Capacity => Rate * Math.Max(BurstSeconds, 1);

    public double Level(double now)
    {
        Refill(now);
        return _level;
    }

    public bool HasUnits(double now) => Level(now) > 0;

    public void Take(double units, double now)
    {
        Refill(now);
        _level -= units;
    }

    /// <summary>A new rate from now on; units already saved stay, up to the new capacity.</summary>
    public void SetRate(double rate, double now)
    {
        Refill(now);
        Rate = rate;
        _level = Math.Min(_level, Capacity);
    }

    /// <summary>Keeps <paramref name="fraction"/> of the saved units (a split hands the rest to the child); a debt stays whole.</summary>
    public void Keep(double fraction, double now)
    {
        Refill(now);
        if (_level > 0) _level *= fraction;
    }

    private void Refill(double now)
    {
        if (now <= _at) return;
        _level = Math.Min(Capacity, _level + (now - _at) * Rate);
        _at = now;
    }
}

/// <summary>Seconds on the process's monotonic clock, for <see cref="TokenBucket"/>.</summary>
public static class CapacityClock
{
    public static double Now => System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;
}
