using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// A partition's view of its items: the store is the truth, the silo's <see cref="ItemCache"/> keeps hot
/// durable items, and writes not yet durable are held here as pending values. Writes decide on the newest
/// value (pending first); reads see durable values only.
/// <para>Reading an item may await the store, so a write first stages its items (<see cref="StageAsync"/>),
/// then decides synchronously once <see cref="TryNewest"/> answers for all of them: nothing can interleave
/// between the decision and the enqueueing of its write. While a key is being loaded no write of it can be
/// decided, so a loaded value is current when it arrives.</para>
/// </summary>
internal sealed class ItemAccess(PartitionScope scope, ItemCache cache, long generation)
{
    private const int MaxStaged = 10_000;

    private readonly Dictionary<ItemKey, PendingValue> _pending = [];
    private readonly Dictionary<ItemKey, Task> _loading = [];
    // Loaded for a write decision; kept while valid (until the key is written), in case the cache evicts it.
    private readonly Dictionary<ItemKey, Item?> _staged = [];
    // Grows with every change made durable: a read that saw it change may hold an older value and is not cached.
    private long _durableChanges;

    /// <summary>A write's value until it is durable, with the task that completes when it is.</summary>
    public sealed record PendingValue(Item? Item, Task Durable);

    public int PendingCount => _pending.Count;

    public bool IsPending(ItemKey key) => _pending.ContainsKey(key);

    /// <summary>The commit of the item's newest decided write, while it is not yet durable.</summary>
    public Task? PendingWrite(ItemKey key) => _pending.TryGetValue(key, out var pending) ? pending.Durable : null;

    /// <summary>The value a write decides on, when known without reading the store, and the write it depends on if that is not yet durable.</summary>
    public bool TryNewest(ItemKey key, out Item? item, out Task? inFlight)
    {
        inFlight = null;
        if (_pending.TryGetValue(key, out var pending))
        {
            item = pending.Item;
            inFlight = pending.Durable;
            return true;
        }
        item = null;
        if (_loading.ContainsKey(key)) return false;
        return _staged.TryGetValue(key, out item) || TryDurable(key, out item);
    }

    /// <summary>
    /// Whether <see cref="TryNewest"/> answers for the key. A value found in the cache is kept with the staged ones:
    /// the cache is shared with other partitions on other threads, and could evict it before the decision.
    /// </summary>
    public bool IsKnown(ItemKey key)
    {
        if (_pending.ContainsKey(key)) return true;
        if (_loading.ContainsKey(key)) return false;
        if (_staged.ContainsKey(key)) return true;
        if (!cache.TryGet(generation, key.Bytes, out var item)) return false;
        _staged[key] = item;
        return true;
    }

    /// <summary>Reads from the store the keys that <see cref="TryNewest"/> cannot answer for.</summary>
    public async ValueTask StageAsync(IEnumerable<ItemKey> keys)
    {
        foreach (var key in keys)
        {
            if (IsKnown(key)) continue;
            if (_loading.TryGetValue(key, out var other))
            {
                await other;
                continue;
            }
            var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _loading[key] = loaded.Task;
            try
            {
                var bytes = await scope.Store.GetAsync(scope.Space, RecordKind.Item, key.Bytes);
                if (_staged.Count >= MaxStaged) _staged.Clear();
                var item = Decode(bytes);
                _staged[key] = item;
                cache.Set(generation, key.Bytes, item);
            }
            finally
            {
                _loading.Remove(key);
                loaded.SetResult();
            }
        }
    }

    /// <summary>The durable value of an item, for reads.</summary>
    public async ValueTask<Item?> ReadAsync(ItemKey key)
    {
        if (TryDurable(key, out var item)) return item;
        var changes = _durableChanges;
        var bytes = await scope.Store.GetAsync(scope.Space, RecordKind.Item, key.Bytes);
        return Loaded(key, bytes, changes);
    }

    /// <summary>Durable values of several items, in order, with one store read for those not in memory.</summary>
    public async ValueTask<Item?[]> ReadManyAsync(IReadOnlyList<ItemKey> keys)
    {
        var items = new Item?[keys.Count];
        var missing = new List<int>();
        for (var i = 0; i < keys.Count; i++)
            if (!TryDurable(keys[i], out items[i])) missing.Add(i);
        if (missing.Count == 0) return items;
        var changes = _durableChanges;
        var values = await scope.Store.GetManyAsync(scope.Space, RecordKind.Item, missing.Select(i => keys[i].Bytes).ToList());
        for (var j = 0; j < missing.Count; j++) items[missing[j]] = Loaded(keys[missing[j]], values[j], changes);
        return items;
    }

    /// <summary>A durable value known without the store: in the cache.</summary>
    private bool TryDurable(ItemKey key, out Item? item) => cache.TryGet(generation, key.Bytes, out item);

    /// <summary>
    /// The items of a range read of <see cref="RecordKind.Item"/> records, taken from the cache where it
    /// holds them (not decoded again) and cached where it does not, unless a commit landed during the read.
    /// </summary>
    public async IAsyncEnumerable<Item> RangeAsync(IAsyncEnumerable<StoreRecord> records)
    {
        // Taken when the first record is asked for, before the first store read.
        var changes = _durableChanges;
        await foreach (var record in records)
        {
            if (cache.TryGet(generation, record.Key, out var cached))
            {
                // A newer durable value than the read saw; "no such item" means it was deleted since.
                if (cached is not null) yield return cached;
                continue;
            }
            var item = ItemCodec.Decode(record.Value);
            if (changes == _durableChanges) cache.Set(generation, record.Key, item);
            yield return item;
        }
    }

    /// <summary>
    /// A value a read took from the store. It is cached only if nothing changed meanwhile: a commit that
    /// landed during the read may have been evicted already, and its older value must not come back.
    /// </summary>
    private Item? Loaded(ItemKey key, byte[]? bytes, long changesBefore)
    {
        var item = Decode(bytes);
        if (changesBefore == _durableChanges && !_pending.ContainsKey(key) && !_loading.ContainsKey(key))
            cache.Set(generation, key.Bytes, item);
        return item;
    }

    public PendingValue SetPending(ItemKey key, Item? item, Task durable)
    {
        var pending = new PendingValue(item, durable);
        _pending[key] = pending;
        _staged.Remove(key);
        return pending;
    }

    /// <summary>A committed write: the cache takes its value, and it stops being pending unless a newer write replaced it.</summary>
    public void SetDurable(ItemKey key, PendingValue pending)
    {
        _durableChanges++;
        _staged.Remove(key);
        // Commits complete in order, so this is the newest durable value of the key.
        cache.Set(generation, key.Bytes, pending.Item);
        if (_pending.TryGetValue(key, out var newest) && ReferenceEquals(newest, pending)) _pending.Remove(key);
    }

    /// <summary>After a failed commit nothing pending will become durable; the activation retires.</summary>
    public void Abandon()
    {
        _pending.Clear();
        _staged.Clear();
    }

    /// <summary>Forgets what a split gave away (the cache entries age out: no one asks this activation for them).</summary>
    public void Retain(PartitionRange range)
    {
        foreach (var key in _staged.Keys.Where(k => !range.Contains(k.Hash)).ToList()) _staged.Remove(key);
    }

    private static Item? Decode(byte[]? bytes) => bytes is null ? null : ItemCodec.Decode(bytes);
}
