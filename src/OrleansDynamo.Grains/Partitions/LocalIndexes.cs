using System.Buffers.Binary;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// A table partition's local secondary indexes. Entries are records of their own
/// (<see cref="RecordKind.LocalIndexEntry"/>, the projected item under its index key), written in the same
/// commit as their item, so they are exactly as consistent as the table and nothing is rebuilt on
/// activation. Each item collection's size is a counter record of its own, kept with the writes.
/// </summary>
internal sealed class LocalIndexes(PartitionScope scope, long itemCollectionSizeLimit)
{
    // Loaded collection sizes, dropped wholesale when many (a size is re-read on its next use).
    private const int MaxCollections = 100_000;
    private readonly Dictionary<AttributeValue, long> _collections = [];

    private TableInfo? _indexesOf;
    private IReadOnlyList<IndexInfo> _indexes = [];

    /// <summary>The table's local indexes, in their order (which the counter slots follow); they never change.</summary>
    public IReadOnlyList<IndexInfo> Indexes
    {
        get
        {
            if (!ReferenceEquals(_indexesOf, scope.Table)) (_indexesOf, _indexes) = (scope.Table, scope.Table.SecondaryIndexes.Where(i => !i.IsGlobal).ToList());
            return _indexes;
        }
    }

    public bool Any => Indexes.Count > 0;

    /// <summary>Counter slots: items (count, bytes), then count and bytes per local index.</summary>
    public static int SlotsFor(TableInfo table) => PartitionCounters.LocalIndexEntries(table.SecondaryIndexes.Count(i => !i.IsGlobal));

    public bool TryCollectionSize(ItemKey key, out long size)
    {
        size = 0;
        return !Any || _collections.TryGetValue(key.HashKey, out size);
    }

    public async ValueTask StageCollectionAsync(ItemKey key)
    {
        if (TryCollectionSize(key, out _)) return;
        var stored = await scope.Store.GetAsync(scope.Space, RecordKind.CollectionSize, StoreKeys.Collection(key.Hash, key.HashKey));
        if (_collections.Count >= MaxCollections) _collections.Clear();
        _collections[key.HashKey] = stored is null ? 0 : BinaryPrimitives.ReadInt64LittleEndian(stored);
    }

    /// <summary>Drops loaded sizes when there are too many and no write depends on them.</summary>
    public void Trim(bool idle)
    {
        if (idle && _collections.Count > MaxCollections) _collections.Clear();
    }

    /// <summary>The item collection size limit, for a write that grows its collection (checked before the write is queued).</summary>
    public void CheckCollectionLimit(ItemKey key, Item? existing, Item item)
    {
        if (!Any) return;
        var grows = item.SizeInBytes - (existing?.SizeInBytes ?? 0);
        if (grows <= 0) return;
        var projected = Indexes.Where(i => IndexRules.Contains(i, item)).Sum(i => (long)IndexRules.Project(i, scope.Schema, item).SizeInBytes);
        if (_collections.GetValueOrDefault(key.HashKey) + grows + projected > itemCollectionSizeLimit)
            throw DynamoErrors.ItemCollectionSizeLimitExceeded();
    }

    /// <summary>ReturnItemCollectionMetrics SIZE on a table with local indexes: the collection's size range in GB.</summary>
    public ItemCollectionMetrics? Metrics(string? returnMetrics, ItemKey key)
    {
        if (returnMetrics != "SIZE" || !Any) return null;
        var gigabytes = Math.Floor(_collections.GetValueOrDefault(key.HashKey) / (double)(1L << 30));
        return new ItemCollectionMetrics
        {
            ItemCollectionKey = new Item([KeyValuePair.Create(scope.Schema.HashKey.Name, key.HashKey)]),
            SizeEstimateRangeGB = [gigabytes, gigabytes + 1],
        };
    }

    /// <summary>The index entry writes of one item change, its counters, and its collection's new size.</summary>
    public void AddWrites(PendingWrite write, List<StoreWrite> writes, PartitionCounters counters)
    {
        var indexes = Indexes;
        if (indexes.Count == 0) return;
        long delta = (write.Item?.SizeInBytes ?? 0) - (write.Existing?.SizeInBytes ?? 0);
        for (var i = 0; i < indexes.Count; i++)
        {
            var index = indexes[i];
            var oldKey = write.Existing is null ? null : IndexKey.Of(index, scope.Schema, write.Existing)?.StoreKey(index);
            (byte[] Key, Item Value)? newEntry = write.Item is null || IndexKey.Of(index, scope.Schema, write.Item) is not { } key
                ? null
                : (key.StoreKey(index), IndexRules.Project(index, scope.Schema, write.Item));
            var oldSize = oldKey is null ? 0 : IndexRules.Project(index, scope.Schema, write.Existing!).SizeInBytes;
            if (oldKey is not null && (newEntry is null || !oldKey.AsSpan().SequenceEqual(newEntry.Value.Key)))
                writes.Add(new StoreWrite(RecordKind.LocalIndexEntry, oldKey, null));
            if (newEntry is { } entry) writes.Add(new StoreWrite(RecordKind.LocalIndexEntry, entry.Key, ItemCodec.Encode(entry.Value)));
            var newSize = newEntry?.Value.SizeInBytes ?? 0;
            counters.Add(write.Key.Hash, PartitionCounters.LocalIndexEntries(i), (newEntry is null ? 0 : 1) - (oldKey is null ? 0 : 1));
            counters.Add(write.Key.Hash, PartitionCounters.LocalIndexEntries(i) + 1, newSize - oldSize);
            delta += newSize - oldSize;
        }
        var size = _collections.GetValueOrDefault(write.Key.HashKey) + delta;
        _collections[write.Key.HashKey] = size;
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, size);
        writes.Add(new StoreWrite(RecordKind.CollectionSize, StoreKeys.Collection(write.Key.Hash, write.Key.HashKey), size <= 0 ? null : bytes));
    }

    // --- Reads ---

    public async Task<QueryResponse> QueryAsync(QueryRequest request, ItemAccess items, PartitionCapacity capacity)
    {
        var index = Find(request.IndexName!);
        var expressions = RequestExpressions.For(request, validated: true);
        var condition = IndexReads.KeyConditionOf(index, expressions);
        var hash = KeyBytes.PartitionHash(condition.HashValue);
        if (!scope.Owns(hash)) throw new StaleRouteException($"Partition {scope} does not own the key");
        var forward = request.ScanIndexForward ?? true;
        var (from, to) = KeyRanges.Narrow(StoreKeys.LocalIndexPrefix(index.IndexId, hash, condition.HashValue), condition.SortKey);
        var start = request.ExclusiveStartKey is { } startItem ? IndexKey.Of(index, scope.Schema, startItem)?.StoreKey(index) : null;
        (from, to) = KeyRanges.After(from, to, start, forward);
        var source = Read(index, request.Select, request.ProjectionExpression ?? (object?)request.AttributesToGet, items,
            PageReader.ReadRange(scope, RecordKind.LocalIndexEntry, from, to, forward, request.Limit ?? int.MaxValue, PageReader.MaxPageBytes));
        var countOnly = PageReader.IsCountOnly(request.Select);
        var page = await PageReader.ReadAsync(source, expressions, item => IndexRules.KeyOf(index, scope.Schema, item), request.Limit ?? int.MaxValue,
            PageReader.MaxPageBytes, countOnly, IndexReads.SortKeyFilter(index, condition));
        return IndexReads.QueryResponseOf(page, request, scope.Table.TableName, capacity);
    }

    public async Task<ScanPage> ScanAsync(ScanPageRequest pageRequest, ItemAccess items, PartitionCapacity capacity)
    {
        var request = pageRequest.Request;
        var index = Find(request.IndexName!);
        var rangeEnd = Math.Min(pageRequest.HashEnd, scope.Range.End);
        var from = StoreKeys.LocalIndexPrefix(index.IndexId, pageRequest.HashStart);
        var to = rangeEnd == ulong.MaxValue ? OrderedKeyEncoding.PrefixEnd(StoreKeys.LocalIndexPrefix(index.IndexId)) : StoreKeys.LocalIndexPrefix(index.IndexId, rangeEnd + 1);
        var start = request.ExclusiveStartKey is { } startItem ? IndexKey.Of(index, scope.Schema, startItem)?.StoreKey(index) : null;
        (from, to) = KeyRanges.After(from, to, start, forward: true);
        var source = Read(index, request.Select, request.ProjectionExpression ?? (object?)request.AttributesToGet, items,
            PageReader.ReadRange(scope, RecordKind.LocalIndexEntry, from, to, true, pageRequest.Limit, pageRequest.ByteBudget));
        var page = await PageReader.ReadAsync(source, RequestExpressions.For(request, validated: true), item => IndexRules.KeyOf(index, scope.Schema, item),
            pageRequest.Limit, pageRequest.ByteBudget, PageReader.IsCountOnly(request.Select));
        return IndexReads.ScanPageOf(page, rangeEnd, request, capacity);
    }

    private IndexInfo Find(string name) =>
        scope.Table.FindIndex(name) is { IsGlobal: false } index ? index : throw DynamoErrors.IndexNotFound(name);

    /// <summary>What a read of a local index sees: the projected entry, or the whole item when the request asks
    /// for attributes the index may not project (fetched from the table, as DynamoDB does).</summary>
    private async IAsyncEnumerable<Item> Read(IndexInfo index, string? select, object? projection, ItemAccess items, IAsyncEnumerable<StoreRecord> entries)
    {
        var fetch = index.ProjectionType != IndexInfo.All && (select == SelectRules.AllAttributes || projection is not null);
        await foreach (var record in entries)
        {
            var entry = ItemCodec.Decode(record.Value);
            if (!fetch)
            {
                yield return entry;
                continue;
            }
            // An entry whose item is not durable yet (or no longer) is skipped, as the table read would.
            if (await items.ReadAsync(ItemKey.Of(entry, scope.Schema)) is { } item) yield return item;
        }
    }

    /// <summary>
    /// Builds the entries, counters and collection sizes of a partition whose data predates stored local
    /// index entries (see <see cref="LegacyLayout"/>): once, when it first opens; then removes its marker.
    /// </summary>
    public async Task RebuildAsync(PartitionCounters counters)
    {
        var marker = LegacyLayout.RebuildMarker(scope.PartitionId);
        if (await scope.Store.GetAsync(scope.Space, RecordKind.Meta, marker) is null) return;
        if (Any)
        {
            var from = scope.RangeStartKey;
            while (true)
            {
                var records = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Item, from, scope.RangeEndKey, forward: true, limit: 1000);
                var writes = new List<StoreWrite>();
                foreach (var record in records)
                {
                    var item = ItemCodec.Decode(record.Value);
                    var key = ItemKey.Of(item, scope.Schema);
                    await StageCollectionAsync(key);
                    // As if the item were written now over nothing (its own counters are already stored).
                    var write = new PendingWrite(key, null, item);
                    AddWrites(write, writes, counters);
                }
                counters.TakeWrites(writes);
                if (records.Count < 1000) writes.Add(new StoreWrite(RecordKind.Meta, marker, null));
                await scope.Store.CommitAsync(scope.Space, scope.PartitionId, scope.Epoch, writes);
                if (records.Count < 1000) return;
                from = OrderedKeyEncoding.Successor(records[^1].Key);
            }
        }
        await scope.Store.CommitAsync(scope.Space, scope.PartitionId, scope.Epoch, [new StoreWrite(RecordKind.Meta, marker, null)]);
    }
}
