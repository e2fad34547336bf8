using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;
using OrleansDynamo.Model;

namespace OrleansDynamo.Core.Tests.Throughput;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_full_bucket_holds_the_burst_and_refills_at_the_rate()
    {
        var bucket = new TokenBucket(rate: 10, burstSeconds: 300, now: 0);
        Assert.Equal(3000, bucket.Level(0));
        bucket.Take(3000, 0);
        Assert.False(bucket.HasUnits(0));
        Assert.Equal(5, bucket.Level(0.5), 6);
        // Unused units pile up only to the burst.
        Assert.Equal(3000, bucket.Level(10_000));
    }

    [Fact]
    public void A_charge_after_the_fact_leaves_a_debt_that_the_rate_pays_off()
    {
        var bucket = new TokenBucket(rate: 4, burstSeconds: 0, now: 0, level: 1);
        Assert.True(bucket.HasUnits(0));
        bucket.Take(9, 0);
        Assert.False(bucket.HasUnits(1.9));
        Assert.True(bucket.HasUnits(2.1));
    }

    [Fact]
    public void A_split_keeps_its_part_of_the_saved_units_and_a_new_rate_keeps_what_fits()
    {
        var bucket = new TokenBucket(rate: 10, burstSeconds: 10, now: 0);
        bucket.Keep(0.25, 0);
        Assert.Equal(25, bucket.Level(0), 6);
        bucket.SetRate(1, 0);
        Assert.Equal(10, bucket.Level(0), 6);
    }

    [Fact]
    public void Decreases_are_four_a_day_then_one_an_hour_and_a_new_utc_day_starts_over()
    {
        const double day = 20_000 * 86400.0;
        var throughput = new ProvisionedThroughputDescription { ReadCapacityUnits = 10, WriteCapacityUnits = 10 };
        for (var i = 0; i < 4; i++) throughput = ThroughputRules.Changed(throughput, 9 - i, 9 - i, day + 100 + i);
        Assert.Equal(4, throughput.NumberOfDecreasesToday);
        var refused = Assert.Throws<OrleansDynamo.Errors.DynamoException>(() => ThroughputRules.Changed(throughput, 5, 5, day + 200));
        Assert.Equal("LimitExceededException", refused.ErrorType);
        Assert.EndsWith("Number of decreases today: 4. Last decrease at Friday, October 4, 2024 at 12:01:43 AM Coordinated Universal Time. "
            + "Next decrease can be made at Friday, October 4, 2024 at 1:01:43 AM Coordinated Universal Time", refused.Message);
        // An increase is always allowed; a decrease an hour after the last one is too.
        var increased = ThroughputRules.Changed(throughput, 20, 20, day + 300);
        Assert.Equal(day + 300, increased.LastIncreaseDateTime);
        Assert.Equal(5, ThroughputRules.Changed(increased, 5, 5, day + 103 + 3600).NumberOfDecreasesToday);
        Assert.Equal(0, ThroughputRules.AsOf(throughput, day + 86400).NumberOfDecreasesToday);
    }
}
