using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Storage.Tests;

/// <summary>
/// What every <see cref="IPartitionStore"/> must do. Each store's test class derives from this and
/// supplies a fresh store; the assertions are the same for all.
/// </summary>
public abstract class PartitionStoreConformance
{
    /// <summary>A store over clean storage. Called once per test; <see cref="Reopen"/> may be called after.</summary>
    protected abstract Task<IPartitionStore> CreateStoreAsync();

    /// <summary>The same storage seen by a new store instance (a restart); the memory store returns itself.</summary>
    protected virtual Task<IPartitionStore> ReopenAsync(IPartitionStore store) => Task.FromResult(store);

    private static PartitionAddress NewPartition(int id = 0) => new("tbl", Guid.NewGuid().ToString("D"), id);

    private static Item Item(string pk, string value) =>
        new([KeyValuePair.Create("pk", AttributeValue.FromS(pk)), KeyValuePair.Create("v", AttributeValue.FromS(value))]);

    private static ItemWrite Put(Item item) => new(KeyBytes.StoreKey(item["pk"], null), item);
    private static ItemWrite Delete(string pk) => new(KeyBytes.StoreKey(AttributeValue.FromS(pk), null), null);

    private static Dictionary<string, string> Contents(PartitionLoad load) =>
        load.Items.ToDictionary(i => i["pk"].S, i => i["v"].S);

    [Fact]
    public async Task New_partition_loads_empty()
    {
        var store = await CreateStoreAsync();
        var load = await store.OpenAsync(NewPartition());
        Assert.Empty(load.Items);
    }

    [Fact]
    public async Task Committed_writes_load_back_after_reopen()
    {
        var store = await CreateStoreAsync();
        var partition = NewPartition();
        var epoch = (await store.OpenAsync(partition)).Epoch;
        await store.CommitAsync(partition, epoch, [Put(Item("a", "1")), Put(Item("b", "2"))]);
        await store.CommitAsync(partition, epoch, [Put(Item("a", "3")), Delete("b"), Put(Item("c", "4"))]);

        var reopened = await ReopenAsync(store);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "3", ["c"] = "4" }, Contents(await reopened.OpenAsync(partition)));
    }

    [Fact]
    public async Task Every_value_type_round_trips()
    {
        var store = await CreateStoreAsync();
        var partition = NewPartition();
        var item = new Item(new Dictionary<string, AttributeValue>
        {
            ["pk"] = AttributeValue.FromS("all"),
            ["n"] = AttributeValue.FromN("-12.5e3"),
            ["b"] = AttributeValue.FromB([0, 255]),
            ["ss"] = AttributeValue.FromSS(["x", "y"]),
            ["ns"] = AttributeValue.FromNS([DynamoNumber.Parse("1"), DynamoNumber.Parse("2")]),
            ["bs"] = AttributeValue.FromBS([[1], [2]]),
            ["m"] = AttributeValue.FromM(new Dictionary<string, AttributeValue> { ["l"] = AttributeValue.FromL([AttributeValue.Null, AttributeValue.True]) }),
        });
        var epoch = (await store.OpenAsync(partition)).Epoch;
        await store.CommitAsync(partition, epoch, [new ItemWrite(KeyBytes.StoreKey(item["pk"], null), item)]);

        var loaded = (await (await ReopenAsync(store)).OpenAsync(partition)).Items.Single();
        Assert.Equal(item.OrderBy(a => a.Key), loaded.OrderBy(a => a.Key));
    }

    [Fact]
    public async Task A_batch_applies_atomically_in_order()
    {
        var store = await CreateStoreAsync();
        var partition = NewPartition();
        var epoch = (await store.OpenAsync(partition)).Epoch;
        await store.CommitAsync(partition, epoch, [Put(Item("a", "1")), Put(Item("a", "2")), Delete("a"), Put(Item("a", "final"))]);
        Assert.Equal("final", Contents(await (await ReopenAsync(store)).OpenAsync(partition))["a"]);
    }

    [Fact]
    public async Task Opening_again_fences_the_older_epoch()
    {
        var store = await CreateStoreAsync();
        var partition = NewPartition();
        var stale = (await store.OpenAsync(partition)).Epoch;
        var current = (await store.OpenAsync(partition)).Epoch;
        Assert.True(current > stale);

        await Assert.ThrowsAsync<StaleEpochException>(() => store.CommitAsync(partition, stale, [Put(Item("a", "stale"))]));
        await store.CommitAsync(partition, current, [Put(Item("a", "current"))]);
        Assert.Equal("current", Contents(await store.OpenAsync(partition))["a"]);
    }

    [Fact]
    public async Task Epochs_grow_across_reopen()
    {
        var store = await CreateStoreAsync();
        var partition = NewPartition();
        var first = (await store.OpenAsync(partition)).Epoch;
        var second = (await (await ReopenAsync(store)).OpenAsync(partition)).Epoch;
        Assert.True(second > first);
    }

    [Fact]
    public async Task Partitions_are_isolated_and_deleting_one_leaves_the_others()
    {
        var store = await CreateStoreAsync();
        var kept = NewPartition(1);
        var dropped = kept with { PartitionId = 2 };
        await store.CommitAsync(kept, (await store.OpenAsync(kept)).Epoch, [Put(Item("a", "kept"))]);
        await store.CommitAsync(dropped, (await store.OpenAsync(dropped)).Epoch, [Put(Item("a", "dropped"))]);

        await store.DeletePartitionAsync(dropped);

        var reopened = await ReopenAsync(store);
        Assert.Equal("kept", Contents(await reopened.OpenAsync(kept))["a"]);
        Assert.Empty((await reopened.OpenAsync(dropped)).Items);
    }

    [Fact]
    public async Task Large_partition_loads_completely()
    {
        var store = await CreateStoreAsync();
        var partition = NewPartition();
        var epoch = (await store.OpenAsync(partition)).Epoch;
        var blob = new string('x', 1000);
        for (var batch = 0; batch < 20; batch++)
            await store.CommitAsync(partition, epoch, Enumerable.Range(batch * 1000, 1000).Select(i => Put(Item($"k{i}", blob))).ToArray());

        var load = await (await ReopenAsync(store)).OpenAsync(partition);
        Assert.Equal(20_000, load.Items.Count);
        Assert.Equal(20_000, load.Items.Select(i => i["pk"].S).Distinct().Count());
    }
}

public sealed class MemoryPartitionStoreTests : PartitionStoreConformance
{
    protected override Task<IPartitionStore> CreateStoreAsync() => Task.FromResult<IPartitionStore>(new MemoryPartitionStore());
}
