namespace OrleansDynamo.LoadGenerator;

/// <summary>Picks item numbers in [0, count). Stateless, so workers share one and each passes its own <see cref="Random"/>.</summary>
public abstract class KeyChooser(long count)
{
    public long Count { get; } = count;

    public abstract long Next(Random random);

    public static KeyChooser Create(string distribution, long count) => distribution switch
    {
        "zipfian" => new ScrambledZipfianChooser(count),
        "uniform" => new UniformChooser(count),
        _ => throw new ArgumentException($"--keys must be zipfian or uniform, not '{distribution}'"),
    };
}

public sealed class UniformChooser(long count) : KeyChooser(count)
{
    public override long Next(Random random) => random.NextInt64(Count);
}

/// <summary>
/// YCSB's scrambled zipfian: a zipfian rank (theta 0.99) drawn over 10^10 items, then hashed (FNV-1a, 64 bits) onto
/// [0, count), so the hot items are not neighbours (and not in one partition key) but spread over the key space.
/// With theta 0.99 the hottest item takes about 4 % of the requests, the hottest 1 % of items about half.
/// </summary>
public sealed class ScrambledZipfianChooser(long count) : KeyChooser(count)
{
    private const double Theta = 0.99;
    private const long Items = 10_000_000_000L;
    private const double ZetaN = 26.46902820178302; // zeta(10^10, 0.99), as YCSB precomputes it
    private static readonly double Zeta2 = 1 + Math.Pow(0.5, Theta);
    private static readonly double Alpha = 1 / (1 - Theta);
    private static readonly double Eta = (1 - Math.Pow(2.0 / Items, 1 - Theta)) / (1 - Zeta2 / ZetaN);
    private static readonly double SecondRank = 1 + Math.Pow(0.5, Theta);

    public override long Next(Random random) => (long)(Fnv1a64((ulong)Rank(random)) % (ulong)Count);

    private static long Rank(Random random)
    {
        var u = random.NextDouble();
        var uz = u * ZetaN;
        if (uz < 1) return 0;
        if (uz < SecondRank) return 1;
        return (long)(Items * Math.Pow(Eta * u - Eta + 1, Alpha));
    }

    private static ulong Fnv1a64(ulong value)
    {
        var hash = 0xCBF29CE484222325UL;
        for (var i = 0; i < 8; i++)
        {
            hash ^= value & 0xFF;
            hash *= 1099511628211UL;
            value >>= 8;
        }
        return hash;
    }
}
