using Microsoft.Extensions.Logging;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Secondary indexes, as seen from a table partition.
/// <para>Local indexes: one ordered structure per index, kept in memory next to the items and changed in
/// the same turn as they are (after the commit), so they are as consistent as the table. They are rebuilt
/// from the items on activation and need no storage of their own.</para>
/// <para>Global indexes: every commit also writes, for each changed item, an outbox record (under a
/// reserved store key, in the same atomic store commit as the item) with the item's new image, the index
/// partition keys its entries may have had until now, and a sequence number. After the commit the records
/// are delivered to the index partitions, one round at a time so that changes of one item are never
/// reordered, and deleted once every index partition has applied them. An activation replays its outbox.</para>
/// </summary>
public sealed partial class PartitionGrain
{
    private const int DeliveryBatch = 2000;
    private const int BackfillChunk = 1000;
    private const string OutboxMarker = "\u0000odyn.outbox";
    private const string OutboxKey = "\u0000key";
    private const string OutboxImage = "\u0000image";
    private const string OutboxPrevious = "\u0000previous";
    private static readonly TimeSpan DeliveryRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, OrderedIndex<Item>> _localIndexes = new(StringComparer.Ordinal);
    private readonly Dictionary<AttributeValue, long> _collectionBytes = [];
    // The newest undelivered change of each item, committed (Durable) or in the commit in flight.
    private readonly Dictionary<ItemKey, OutboxRecord> _outbox = [];
    // Backfill changes: not stored (a lost one is sent again by the next backfill pass), delivered like the outbox.
    private readonly Dictionary<ItemKey, BackfillChange> _backfill = [];
    private List<ItemWrite> _outboxAcks = [];
    private Task? _delivering;
    private Task _deliveryRound = Task.CompletedTask;
    private TaskCompletionSource? _backfillDrained;
    // Completes when the commit in flight has been applied (or failed): a backfill starts after it.
    private Task _batchApplied = Task.CompletedTask;
    private long _lastSequence;

    private sealed record OutboxRecord(long Sequence, Item TableKey, Item? Image, IReadOnlyDictionary<string, AttributeValue[]> Previous)
    {
        public bool Durable { get; set; }
    }

    private sealed record BackfillChange(long Sequence, Item TableKey, Item Image, string IndexName);

    private IEnumerable<IndexInfo> LocalIndexes => _table!.SecondaryIndexes.Where(i => !i.IsGlobal);

    private bool HasGlobalIndexes => _table!.GlobalIndexes.Any();

    /// <summary>The next change sequence: above every earlier one of this partition, and near the clock so that a
    /// partition taking over items (split, new activation) continues above what their old partition used.</summary>
    private long NextSequence() => _lastSequence = Math.Max(_lastSequence + 1, DateTime.UtcNow.Ticks);

    public Task RefreshTable(TableInfo table)
    {
        EnsureServing();
        if (table.Incarnation != _address.Incarnation || table.Map.Ranges.All(r => r.PartitionId != _address.PartitionId))
            throw new StaleRouteException($"Partition {_address} is not part of the table");
        _table = table with { Map = _table!.Map.Version >= table.Map.Version ? _table.Map : table.Map };
        return Task.CompletedTask;
    }

    public Task<int> GetOutboxSize() => Task.FromResult(_outbox.Count + _backfill.Count);

    public Task<IReadOnlyDictionary<string, PartitionStats>> GetIndexStats() =>
        Task.FromResult<IReadOnlyDictionary<string, PartitionStats>>(
            _localIndexes.ToDictionary(i => i.Key, i => new PartitionStats(i.Value.Count, i.Value.SizeBytes)));

    // --- Loading ---

    private static bool IsOutboxRecord(Item item) => item.ContainsKey(OutboxMarker);

    private void LoadIndexes(IReadOnlyList<Item> records, List<ItemKey> strays)
    {
        foreach (var index in LocalIndexes) _localIndexes[index.Name] = new OrderedIndex<Item>();
        if (_localIndexes.Count > 0)
            foreach (var (key, item) in _items.Range(ItemKey.BeforeHash(0), ItemKey.AfterHash(ulong.MaxValue)))
                IndexLocally(key, null, item);
        foreach (var stored in records)
        {
            var record = DecodeRecord(stored);
            var key = ItemKey.Of(record.TableKey, Schema);
            _lastSequence = Math.Max(_lastSequence, record.Sequence);
            if (_range!.Contains(key.Hash)) _outbox[key] = record;
            else strays.Add(key);
        }
        if (_outbox.Count > 0) StartDelivery();
    }

    // --- Local indexes and item collections ---

    /// <summary>Makes a committed change visible: the item, its local index entries and its collection's size.</summary>
    private void SetDurable(ItemKey key, Item? item)
    {
        var old = _items.Get(key);
        if (item is null) _items.Remove(key);
        else _items.Put(key, item);
        if (_localIndexes.Count > 0) IndexLocally(key, old, item);
    }

    private void IndexLocally(ItemKey key, Item? old, Item? item)
    {
        long delta = (item?.SizeInBytes ?? 0) - (old?.SizeInBytes ?? 0);
        foreach (var index in LocalIndexes)
        {
            var entries = _localIndexes[index.Name];
            delta -= entries.Get(key)?.Size ?? 0;
            entries.Remove(key);
            if (item is null || IndexKey.Of(index, Schema, item) is not { } indexKey) continue;
            var size = IndexRules.Project(index, Schema, item).SizeInBytes;
            entries.Put(key, indexKey, item, size);
            delta += size;
        }
        var collection = _collectionBytes.GetValueOrDefault(key.HashKey!) + delta;
        if (collection <= 0) _collectionBytes.Remove(key.HashKey!);
        else _collectionBytes[key.HashKey!] = collection;
    }

    /// <summary>
    /// The index checks of a write, made in the partition because it always knows the table's indexes: index
    /// key types, and for tables with local indexes, the item collection size limit.
    /// </summary>
    private void CheckIndexedWrite(ItemKey key, Item? existing, Item? item)
    {
        if (_table!.Indexes is null || item is null) return;
        IndexRules.CheckItem(item, _table);
        if (_localIndexes.Count == 0) return;
        var grows = item.SizeInBytes - (existing?.SizeInBytes ?? 0);
        if (grows <= 0) return;
        var projected = LocalIndexes.Where(i => IndexRules.Contains(i, item)).Sum(i => (long)IndexRules.Project(i, Schema, item).SizeInBytes);
        if (_collectionBytes.GetValueOrDefault(key.HashKey!) + grows + projected > options.Value.ItemCollectionSizeLimitBytes)
            throw DynamoErrors.ItemCollectionSizeLimitExceeded();
    }

    /// <summary>ReturnItemCollectionMetrics SIZE on a table with local indexes: the collection's size range in GB.</summary>
    private ItemCollectionMetrics? CollectionMetrics(string? returnMetrics, ItemKey key)
    {
        if (returnMetrics != "SIZE" || _localIndexes.Count == 0) return null;
        var gigabytes = Math.Floor(_collectionBytes.GetValueOrDefault(key.HashKey!) / (double)(1L << 30));
        return new ItemCollectionMetrics
        {
            ItemCollectionKey = new Item([KeyValuePair.Create(Schema.HashKey.Name, key.HashKey!)]),
            SizeEstimateRangeGB = [gigabytes, gigabytes + 1],
        };
    }

    // --- The outbox ---

    /// <summary>
    /// The outbox writes of one commit batch (called while the batch is built): for each written item, its
    /// record, merged with the undelivered one it replaces so that every index key it may still have is cleared.
    /// </summary>
    private List<ItemWrite> OutboxWrites(List<PendingWrite> batch)
    {
        var writes = _outboxAcks;
        _outboxAcks = [];
        if (!HasGlobalIndexes) return writes;
        var before = new Dictionary<ItemKey, Item?>();
        foreach (var write in batch)
        {
            var previousImage = before.TryGetValue(write.Key, out var seen) ? seen : _items.Get(write.Key);
            before[write.Key] = write.Item;
            var earlier = _outbox.GetValueOrDefault(write.Key);
            var previous = new Dictionary<string, AttributeValue[]>(StringComparer.Ordinal);
            foreach (var index in _table!.GlobalIndexes)
            {
                var keys = new HashSet<AttributeValue>(earlier?.Previous.GetValueOrDefault(index.Name) ?? []);
                // The replaced record's image may still be in flight to the index: its key is cleared too.
                foreach (var image in (Item?[])[previousImage, earlier?.Image])
                    if (image is not null && IndexRules.Contains(index, image)) keys.Add(image[index.KeySchema.HashKey.Name]);
                previous[index.Name] = keys.ToArray();
            }
            var tableKey = Schema.KeyOf(write.Item ?? previousImage ?? earlier?.Image ?? throw new InvalidOperationException("A delete of nothing"));
            var record = new OutboxRecord(NextSequence(), tableKey, write.Item, previous);
            _outbox[write.Key] = record;
            writes.Add(new ItemWrite(OutboxStoreKey(write.Key), EncodeRecord(record)));
        }
        return writes;
    }

    private void MarkDurable(List<PendingWrite> batch)
    {
        if (_outbox.Count == 0) return;
        foreach (var write in batch)
            if (_outbox.TryGetValue(write.Key, out var record)) record.Durable = true;
        StartDelivery();
    }

    private void StartDelivery()
    {
        if (_delivering is null or { IsCompleted: true }) _delivering = DeliverAsync();
    }

    /// <summary>
    /// Delivers committed outbox records and backfill changes, one round at a time: a round's changes reach
    /// every index partition before the next round starts, so an item's changes arrive in order.
    /// </summary>
    private async Task DeliverAsync()
    {
        while (_table is not null)
        {
            if (_splitting is { IsCompleted: false } split) await split;
            var records = _outbox.Where(r => r.Value.Durable).Take(DeliveryBatch).ToList();
            var backfill = _backfill.Take(Math.Max(0, DeliveryBatch - records.Count)).ToList();
            if (records.Count == 0 && backfill.Count == 0)
            {
                _backfillDrained?.TrySetResult();
                return;
            }
            DelayDeactivation(TimeSpan.FromMinutes(2));
            var round = DeliverRoundAsync(records, backfill);
            _deliveryRound = round;
            if (!await round)
            {
                await Task.Delay(DeliveryRetryDelay);
                continue;
            }
            foreach (var (key, record) in records)
            {
                if (!_outbox.TryGetValue(key, out var current) || !ReferenceEquals(current, record)) continue;
                _outbox.Remove(key);
                _outboxAcks.Add(new ItemWrite(OutboxStoreKey(key), null));
            }
            foreach (var (key, change) in backfill)
                if (_backfill.TryGetValue(key, out var current) && ReferenceEquals(current, change)) _backfill.Remove(key);
            if (_backfill.Count == 0) _backfillDrained?.TrySetResult();
            // The acknowledged records' deletes go out with the next commit, or on their own.
            if (_outboxAcks.Count > 0 && _flushing is null or { IsCompleted: true }) _flushing = FlushAsync();
        }
    }

    private async Task<bool> DeliverRoundAsync(List<KeyValuePair<ItemKey, OutboxRecord>> records, List<KeyValuePair<ItemKey, BackfillChange>> backfill)
    {
        var table = _table!;
        var changes = new List<(IndexInfo Index, PartitionRange Range, IndexChange Change)>();
        foreach (var (_, record) in records)
        {
            foreach (var index in table.GlobalIndexes)
            {
                if (!record.Previous.TryGetValue(index.Name, out var previous)) continue;
                // An index partition holds at most one entry per item: a put there replaces the old entry, and
                // every other partition that may hold one gets a delete.
                var reached = new HashSet<int>();
                if (record.Image is { } image && IndexRules.Contains(index, image))
                {
                    var hash = KeyBytes.PartitionHash(image[index.KeySchema.HashKey.Name]);
                    var target = index.Map!.Find(hash);
                    reached.Add(target.PartitionId);
                    changes.Add((index, target, new IndexChange(record.TableKey, record.Sequence, hash, IndexRules.Project(index, table.Schema, image))));
                }
                foreach (var old in previous)
                {
                    var hash = KeyBytes.PartitionHash(old);
                    var range = index.Map!.Find(hash);
                    if (reached.Add(range.PartitionId)) changes.Add((index, range, new IndexChange(record.TableKey, record.Sequence, hash, null)));
                }
            }
        }
        foreach (var (_, change) in backfill)
        {
            if (table.FindIndex(change.IndexName) is not { IsGlobal: true } index || !IndexRules.Contains(index, change.Image)) continue;
            var hash = KeyBytes.PartitionHash(change.Image[index.KeySchema.HashKey.Name]);
            changes.Add((index, index.Map!.Find(hash), new IndexChange(change.TableKey, change.Sequence, hash, IndexRules.Project(index, table.Schema, change.Image))));
        }
        try
        {
            await Task.WhenAll(changes.GroupBy(c => (c.Index.IndexId, c.Range.PartitionId)).Select(group =>
                GrainFactory.GetGrain<IIndexPartitionGrain>(IndexPartitionKey.Format(table.TableName, table.Incarnation, group.Key.IndexId, group.Key.PartitionId))
                    .Apply(group.Select(c => c.Change).ToList())));
            return true;
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, e, _address.ToString(), changes.Count);
            try
            {
                if (_table is not null) await RefreshTable(await GrainFactory.GetGrain<ITableGrain>(_address.TableName).GetInfo());
            }
            catch (Exception)
            {
                // The table is gone or this partition no longer serves; the loop ends or retries.
            }
            return false;
        }
    }

    // --- Reading local indexes ---

    private QueryResponse QueryLocalIndex(QueryRequest request)
    {
        EnsureServing();
        var index = LocalIndex(request.IndexName!);
        var expressions = RequestExpressions.For(request, validated: true);
        var condition = IndexReads.KeyConditionOf(index, expressions);
        Owned(new ItemKey(KeyBytes.PartitionHash(condition.HashValue), condition.HashValue, null));
        return IndexReads.Query(_localIndexes[index.Name], index, Schema, request, expressions, condition,
            LocalRead(index, request.Select, request.ProjectionExpression ?? (object?)request.AttributesToGet), _table!.TableName);
    }

    private ScanPage ScanLocalIndex(ScanPageRequest pageRequest)
    {
        var request = pageRequest.Request;
        var index = LocalIndex(request.IndexName!);
        return IndexReads.Scan(_localIndexes[index.Name], index, Schema, pageRequest, _range!, LocalRead(index, request.Select, request.ProjectionExpression ?? (object?)request.AttributesToGet));
    }

    private IndexInfo LocalIndex(string name) =>
        _table!.FindIndex(name) is { IsGlobal: false } index ? index : throw DynamoErrors.Validation("The table does not have the specified index: " + name);

    /// <summary>What a read of a local index sees: the projected entry, or the whole item when the request asks
    /// for attributes the index may not project (DynamoDB fetches them from the table; here they are at hand).</summary>
    private Func<Item, Item> LocalRead(IndexInfo index, string? select, object? projection) =>
        select == SelectRules.AllAttributes || projection is not null ? item => item : item => IndexRules.Project(index, Schema, item);

    // --- Backfill ---

    private readonly Dictionary<string, Task<long>> _backfills = new(StringComparer.Ordinal);

    public async Task<long?> BackfillIndex(TableInfo table, string indexName)
    {
        if (!_backfills.TryGetValue(indexName, out var backfill))
        {
            await RefreshTable(table);
            _backfills[indexName] = backfill = RunBackfillAsync(indexName);
        }
        if (!backfill.IsCompleted) return null;
        _backfills.Remove(indexName);
        return await backfill;
    }

    private async Task<long> RunBackfillAsync(string indexName)
    {
        // Commits built before the index was known carry no outbox record for it; let them land first.
        await _batchApplied;
        long sent = 0;
        ItemKey? after = null;
        while (true)
        {
            EnsureServing();
            if (_splitting is { IsCompleted: false } split) await split;
            var from = after ?? ItemKey.BeforeHash(_range!.Start);
            var chunk = _items.Range(from, ItemKey.AfterHash(_range!.End))
                .Where(e => after is null || !e.Key.Equals(after.Value)).Take(BackfillChunk).ToList();
            if (chunk.Count == 0) return sent;
            foreach (var (key, item) in chunk)
            {
                // An item with a write in flight gets its own outbox record, newer than anything sent from here.
                if (_pending.ContainsKey(key)) continue;
                _backfill[key] = new BackfillChange(NextSequence(), Schema.KeyOf(item), item, indexName);
                sent++;
            }
            after = chunk[^1].Key;
            while (_backfill.Count > 0)
            {
                EnsureServing();
                var drained = _backfillDrained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                StartDelivery();
                await Task.WhenAny(drained.Task, Task.Delay(TimeSpan.FromSeconds(1)));
            }
        }
    }

    // --- Outbox record encoding: a pseudo-item under a store key no item can have ---

    private static byte[] OutboxStoreKey(ItemKey key)
    {
        var itemKey = key.StoreKey();
        var storeKey = new byte[4 + itemKey.Length];
        // Item store keys start with the partition key's length, which is far below 0xFFFFFFFF.
        storeKey[0] = storeKey[1] = storeKey[2] = storeKey[3] = 0xFF;
        itemKey.CopyTo(storeKey, 4);
        return storeKey;
    }

    private static Item EncodeRecord(OutboxRecord record) => new([
        KeyValuePair.Create(OutboxMarker, AttributeValue.FromS(record.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        KeyValuePair.Create(OutboxKey, AttributeValue.FromM(record.TableKey)),
        KeyValuePair.Create(OutboxImage, record.Image is null ? AttributeValue.Null : AttributeValue.FromM(record.Image)),
        KeyValuePair.Create(OutboxPrevious, AttributeValue.FromM(record.Previous.ToDictionary(p => p.Key, p => AttributeValue.FromL(p.Value)))),
    ]);

    private static OutboxRecord DecodeRecord(Item stored) => new(
        long.Parse(stored[OutboxMarker].S, System.Globalization.CultureInfo.InvariantCulture),
        new Item(stored[OutboxKey].M),
        stored[OutboxImage].Type == AttributeType.M ? new Item(stored[OutboxImage].M) : null,
        stored[OutboxPrevious].M.ToDictionary(p => p.Key, p => p.Value.L.ToArray(), StringComparer.Ordinal))
    {
        Durable = true,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not deliver {Changes} index changes; it retries")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception error, string partition, int changes);
}
