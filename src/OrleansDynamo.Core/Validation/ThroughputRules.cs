using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

public static class ThroughputRules
{
    /// <summary>Decreases a UTC day allows at any time; after them, one per <see cref="DecreaseInterval"/>.</summary>
    public const int FreeDecreasesPerDay = 4;

    public const double DecreaseInterval = 3600;

    public static void CheckBounds(ProvisionedThroughput throughput)
    {
        if (throughput.ReadCapacityUnits > CreateTableValidator.MaxCapacityUnits)
            throw DynamoErrors.CapacityOutOfBounds(throughput.ReadCapacityUnits, "ReadCapacityUnits");
        if (throughput.WriteCapacityUnits > CreateTableValidator.MaxCapacityUnits)
            throw DynamoErrors.CapacityOutOfBounds(throughput.WriteCapacityUnits, "WriteCapacityUnits");
    }

    /// <summary>
    /// The throughput after a change to <paramref name="read"/> and <paramref name="write"/> units at
    /// <paramref name="now"/> (Unix seconds), with its increase and decrease times; a decrease past what the
    /// UTC day allows is a LimitExceededException.
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#decrease-in-provisioned-throughput
    /// </summary>
    public static ProvisionedThroughputDescription Changed(ProvisionedThroughputDescription old, long read, long write, double now)
    {
        var today = AsOf(old, now);
        var decreased = read < old.ReadCapacityUnits || write < old.WriteCapacityUnits;
        var increased = read > old.ReadCapacityUnits || write > old.WriteCapacityUnits;
        if (decreased && today.NumberOfDecreasesToday >= FreeDecreasesPerDay && now - today.LastDecreaseDateTime!.Value < DecreaseInterval)
        {
            var last = DateTimeOffset.FromUnixTimeMilliseconds((long)(today.LastDecreaseDateTime!.Value * 1000));
            throw DynamoErrors.ThroughputDecreasesLimited(today.NumberOfDecreasesToday, last, last.AddSeconds(DecreaseInterval));
        }
        return today with
        {
            ReadCapacityUnits = read,
            WriteCapacityUnits = write,
            NumberOfDecreasesToday = today.NumberOfDecreasesToday + (decreased ? 1 : 0),
            LastIncreaseDateTime = increased ? now : old.LastIncreaseDateTime,
            LastDecreaseDateTime = decreased ? now : old.LastDecreaseDateTime,
        };
    }

    /// <summary>The throughput as described at <paramref name="now"/>: the decreases of an earlier UTC day no longer count.</summary>
    public static ProvisionedThroughputDescription AsOf(ProvisionedThroughputDescription throughput, double now) =>
        throughput.NumberOfDecreasesToday > 0 && throughput.LastDecreaseDateTime is { } last && UtcDay(last) != UtcDay(now)
            ? throughput with { NumberOfDecreasesToday = 0 }
            : throughput;

    private static long UtcDay(double unixSeconds) => (long)Math.Floor(unixSeconds / 86400);
}
