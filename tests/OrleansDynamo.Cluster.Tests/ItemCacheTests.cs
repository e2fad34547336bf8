using OrleansDynamo.Storage;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>The silo's item cache: bounded in bytes, least recently used out first, generations apart.</summary>
public sealed class ItemCacheTests
{
    private static byte[] Key(int i) => BitConverter.GetBytes(i);

    [Fact]
    public void Stays_within_its_budget_and_keeps_what_was_used_last()
    {
        // 16 shards of 4 KB each: about 30 entries of 1 KB fit per shard.
        var cache = new ItemCache(64 * 1024);
        var generation = cache.NewGeneration();
        for (var i = 0; i < 1000; i++)
        {
            cache.Set(generation, Key(i), new byte[1000]);
            Assert.True(cache.SizeBytes <= cache.BudgetBytes, $"{cache.SizeBytes} bytes in a cache of {cache.BudgetBytes}");
        }
        Assert.True(cache.Count is > 16 and < 64, $"{cache.Count} entries");
        Assert.True(cache.TryGet(generation, Key(999), out _));
        Assert.False(cache.TryGet(generation, Key(0), out _));
    }

    [Fact]
    public void A_new_generation_sees_nothing_of_an_older_one()
    {
        var cache = new ItemCache(1 << 20);
        var old = cache.NewGeneration();
        cache.Set(old, Key(1), [1, 2, 3]);
        var current = cache.NewGeneration();
        Assert.False(cache.TryGet(current, Key(1), out _));
        Assert.True(cache.TryGet(old, Key(1), out var value));
        Assert.Equal([1, 2, 3], value);
    }

    [Fact]
    public void Set_replaces_and_Remove_forgets()
    {
        var cache = new ItemCache(1 << 20);
        var generation = cache.NewGeneration();
        cache.Set(generation, Key(1), [1]);
        cache.Set(generation, Key(1), [2, 2]);
        Assert.True(cache.TryGet(generation, Key(1), out var value));
        Assert.Equal([2, 2], value);
        cache.Remove(generation, Key(1));
        Assert.False(cache.Contains(generation, Key(1)));
        Assert.Equal(0, cache.SizeBytes);
    }

    [Fact]
    public void A_zero_budget_caches_nothing()
    {
        var cache = new ItemCache(0);
        var generation = cache.NewGeneration();
        cache.Set(generation, Key(1), [1]);
        Assert.False(cache.TryGet(generation, Key(1), out _));
        Assert.Equal(0, cache.Count);
    }
}
