using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>The silo's item cache: bounded in bytes, least recently used out first, generations apart.</summary>
// The heap measurement below is of the whole process: it runs alone, after the tests that start clusters.
[Collection(HeapMeasurement.Name)]
public sealed class ItemCacheTests
{
    private static byte[] Key(int i) => BitConverter.GetBytes(i);
    private static Item ItemOf(string text) => new([KeyValuePair.Create("pk", AttributeValue.FromS(text))]);

    [Fact]
    public void Stays_within_its_budget_and_keeps_what_was_used_last()
    {
        // 16 shards of 4 KB each: one item of 500 characters takes about 1.4 KB (UTF-16 and objects), so 2 or 3 fit per shard.
        var cache = new ItemCache(64 * 1024);
        var generation = cache.NewGeneration();
        for (var i = 0; i < 1000; i++)
        {
            cache.Set(generation, Key(i), ItemOf(new string('x', 500)));
            Assert.True(cache.SizeBytes <= cache.BudgetBytes, $"{cache.SizeBytes} bytes in a cache of {cache.BudgetBytes}");
        }
        Assert.True(cache.Count is >= 16 and <= 48, $"{cache.Count} entries");
        Assert.True(cache.TryGet(generation, Key(999), out _));
        Assert.False(cache.TryGet(generation, Key(0), out _));
    }

    [Fact]
    public void A_new_generation_sees_nothing_of_an_older_one()
    {
        var cache = new ItemCache(1 << 20);
        var old = cache.NewGeneration();
        cache.Set(old, Key(1), ItemOf("a"));
        var current = cache.NewGeneration();
        Assert.False(cache.TryGet(current, Key(1), out _));
        Assert.True(cache.TryGet(old, Key(1), out var value));
        Assert.Equal("a", value!["pk"].S);
    }

    [Fact]
    public void Set_replaces_and_Remove_forgets()
    {
        var cache = new ItemCache(1 << 20);
        var generation = cache.NewGeneration();
        cache.Set(generation, Key(1), ItemOf("a"));
        cache.Set(generation, Key(1), null);
        Assert.True(cache.TryGet(generation, Key(1), out var value));
        Assert.Null(value);
        cache.Remove(generation, Key(1));
        Assert.False(cache.TryGet(generation, Key(1), out _));
        Assert.Equal(0, cache.SizeBytes);
    }

    [Fact]
    public void A_zero_budget_caches_nothing()
    {
        var cache = new ItemCache(0);
        var generation = cache.NewGeneration();
        cache.Set(generation, Key(1), ItemOf("a"));
        Assert.False(cache.TryGet(generation, Key(1), out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Counts_a_decoded_item_at_about_what_it_takes_on_the_heap()
    {
        // Measured, not assumed: the estimate must not undercount, or the cache outgrows --cache-mb.
        var random = new Random(7);
        var items = Enumerable.Range(0, 2000).Select(i => new Item(new Dictionary<string, AttributeValue>
        {
            ["pk"] = AttributeValue.FromS("user" + i),
            ["sk"] = AttributeValue.FromN((i % 10).ToString()),
            ["tags"] = AttributeValue.FromSS(["a" + i, "b" + i]),
            ["list"] = AttributeValue.FromL([AttributeValue.FromN("1"), AttributeValue.FromBool(true)]),
            ["data"] = AttributeValue.FromS(new string((char)('a' + random.Next(26)), 900)),
        })).ToList();
        var encoded = items.Select(ItemCodec.Encode).ToList();
        items.Clear();
        List<Item> decoded = [];
        // The heap is the whole process's: a thread of another test (or a finalizer) can move it during one measurement.
        // An estimate that undercounts is wrong in every attempt; a disturbed attempt is only measured again.
        var ratios = new List<double>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            decoded = [];
            var before = GC.GetTotalMemory(forceFullCollection: true);
            decoded = encoded.Select(bytes => ItemCodec.Decode(bytes)).ToList();
            var measured = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)decoded.Count;
            var estimated = decoded.Average(item => (double)ItemCache.MemoryOf(item));
            ratios.Add(estimated / measured);
            if (ratios[^1] is >= 0.95 and <= 1.6) break;
        }
        Assert.True(ratios[^1] is >= 0.95 and <= 1.6, "estimate / measured: " + string.Join(", ", ratios.Select(r => r.ToString("F2"))));
        GC.KeepAlive(decoded);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurement
{
    public const string Name = "heap measurement";
}
