namespace OrleansDynamo.Hosting;

/// <summary>
/// The one clock of the rules that are measured in hours: stream retention (24 hours), shard iterator
/// expiry (15 minutes), the interval between UpdateTimeToLive calls and item expiry. It is the system clock,
/// plus an offset that tests move forward (<see cref="Advance"/>) so that those rules are tested in seconds.
/// Intervals of background work (sweeps, trims) run on real time.
/// </summary>
public sealed class OrleansDynamoClock(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    public OrleansDynamoClock() : this(System)
    {
    }

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow().AddTicks(Volatile.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward (tests).</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Microseconds since the Unix epoch: what stream sequence numbers are made of.</summary>
    public long UnixMicroseconds => (GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;

    public long UnixSeconds => GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Seconds since the Unix epoch to the millisecond, as DynamoDB's JSON protocol sends timestamps.</summary>
    public double UnixTime => GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
