using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Partitions;
using OrleansDynamo.Storage;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Indexes;

/// <summary>
/// One partition of a global secondary index, in the index's own space of the store. Entries are
/// <see cref="RecordKind.IndexEntry"/> records in index order (a Query page is one range read); for each
/// (index hash, item) a <see cref="RecordKind.IndexReference"/> record names the item's entry and the
/// sequence of the change that wrote it, so that changes apply idempotently and never go back in time.
/// Fenced by epoch and split without copying, like a table partition.
/// </summary>
[RandomPlacement]
public sealed partial class IndexPartitionGrain(IPartitionStore store, IOptions<OrleansDynamoOptions> options, ILogger<IndexPartitionGrain> logger)
    : Grain, IIndexPartitionGrain, PartitionSplitter.IParticipant
{
    private PartitionScope _scope = null!;
    private IndexInfo _index = null!;
    private PartitionCounters _counters = null!;
    private PartitionSplitter _splitter = null!;
    private PartitionCapacity _capacity = null!;
    private bool _serving;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tableName, incarnation, indexId, partitionId) = IndexPartitionKey.Parse(this.GetPrimaryKeyString());
        _scope = new PartitionScope(store, new StoreSpace(tableName, incarnation, indexId), partitionId);
        TableInfo? table = null;
        try
        {
            table = await GrainFactory.GetGrain<ITableGrain>(tableName).GetInfo();
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
        }
        // Not (or no longer) part of an index: answers "stale route".
        if (table is null || table.Incarnation != incarnation || table.FindIndexById(indexId) is not { IsGlobal: true } index) return;
        var opening = await store.OpenAsync(_scope.Space, partitionId, cancellationToken);
        if (opening.Range is null) return;
        (_scope.Table, _scope.Epoch, _scope.Range, _index) = (table, opening.Epoch, opening.Range, index);
        _counters = await PartitionCounters.LoadAsync(_scope, 2);
        _splitter = new PartitionSplitter(_scope, _counters, GrainFactory, logger, this);
        _capacity = new PartitionCapacity(options.Value, table, index, index.Map!.Ranges.Count);
        await StartCapacityReportsAsync();
        _serving = true;
        LogActivated(logger, _scope.ToString(), _counters.ItemCount, _scope.Epoch);
    }

    public async Task Apply(IReadOnlyList<IndexChange> changes)
    {
        EnsureServing();
        await _splitter.Done;
        if (changes.Any(c => !_scope.Owns(c.IndexHash))) throw new StaleRouteException($"Index partition {_scope} does not own the change");
        // Per (index hash, item), the newest change of the call.
        var newest = new Dictionary<byte[], IndexChange>(ByteArrayComparer.Instance);
        foreach (var change in changes)
        {
            var key = ItemKey.Of(change.TableKey, _scope.Schema);
            var reference = StoreKeys.IndexReference(change.IndexHash, key.HashKey, key.RangeKey);
            if (newest.TryGetValue(reference, out var other) && other.Sequence >= change.Sequence) continue;
            newest[reference] = change;
        }
        var references = newest.Keys.ToList();
        var held = await store.GetManyAsync(_scope.Space, RecordKind.IndexReference, references);
        var writes = new List<StoreWrite>();
        for (var i = 0; i < references.Count; i++)
        {
            var change = newest[references[i]];
            var current = held[i] is { } bytes ? Reference.Decode(bytes) : (Reference?)null;
            if (current is { } c && c.Sequence >= change.Sequence) continue;
            if (current is { IsTombstone: false } old)
            {
                writes.Add(new StoreWrite(RecordKind.IndexEntry, old.EntryKey, null));
                _counters.Add(change.IndexHash, PartitionCounters.Items, -1);
                _counters.Add(change.IndexHash, PartitionCounters.ItemBytes, -old.Size);
            }
            if (change.Entry is { } entry && IndexKey.Of(_index, _scope.Schema, entry) is { } indexKey)
            {
                var entryKey = indexKey.StoreKey(_index);
                writes.Add(new StoreWrite(RecordKind.IndexEntry, entryKey, ItemCodec.Encode(entry)));
                writes.Add(new StoreWrite(RecordKind.IndexReference, references[i], new Reference(change.Sequence, entry.SizeInBytes, entryKey).Encode()));
                _counters.Add(change.IndexHash, PartitionCounters.Items, 1);
                _counters.Add(change.IndexHash, PartitionCounters.ItemBytes, entry.SizeInBytes);
            }
            else
            {
                // A tombstone: the sequence of the removal stays, so that an older put arriving late (a backfill's) is ignored.
                writes.Add(new StoreWrite(RecordKind.IndexReference, references[i], new Reference(change.Sequence, 0, []).Encode()));
            }
        }
        if (writes.Count == 0) return;
        _counters.TakeWrites(writes);
        try
        {
            await store.CommitAsync(_scope.Space, _scope.PartitionId, _scope.Epoch, writes);
        }
        catch (Exception e)
        {
            // The counters no longer match the store: the next activation reads them again. The sender retries.
            Retire();
            LogCommitFailed(logger, e, _scope.ToString());
            throw DynamoErrors.NotStored();
        }
        // Inside this call, so no other change applies while the range changes.
        _splitter.CheckSize(options.Value.SplitThresholdBytes);
        await _splitter.Done;
    }

    public async Task<QueryResponse> Query(QueryRequest request)
    {
        EnsureServing();
        _capacity.ThrowIfThrottled(read: true);
        var expressions = RequestExpressions.For(request, validated: true);
        var condition = IndexReads.KeyConditionOf(_index, expressions);
        var hash = KeyBytes.PartitionHash(condition.HashValue);
        if (!_scope.Owns(hash)) throw new StaleRouteException($"Index partition {_scope} does not own the queried key");
        var forward = request.ScanIndexForward ?? true;
        var (from, to) = KeyRanges.Narrow(StoreKeys.IndexEntry(hash, condition.StorePrefix), condition.SortKey);
        var start = request.ExclusiveStartKey is { } startItem ? IndexKey.Of(_index, _scope.Schema, startItem)?.StoreKey(_index) : null;
        (from, to) = KeyRanges.After(from, to, start, forward);
        var limit = request.Limit ?? int.MaxValue;
        var source = PageReader.Items(PageReader.ReadRange(_scope, RecordKind.IndexEntry, from, to, forward, limit, PageReader.MaxPageBytes));
        var countOnly = PageReader.IsCountOnly(request.Select);
        var page = await PageReader.ReadAsync(source, expressions, item => IndexRules.KeyOf(_index, _scope.Schema, item), limit,
            PageReader.MaxPageBytes, countOnly, IndexReads.SortKeyFilter(_index, condition));
        return IndexReads.QueryResponseOf(page, request, _scope.Table.TableName, _capacity);
    }

    public async Task<ScanPage> Scan(ScanPageRequest pageRequest)
    {
        EnsureServing();
        if (!_scope.Owns(pageRequest.HashStart)) throw new StaleRouteException($"Index partition {_scope} does not own the scan position");
        _capacity.ThrowIfThrottled(read: true);
        var request = pageRequest.Request;
        var rangeEnd = Math.Min(pageRequest.HashEnd, _scope.Range.End);
        var start = request.ExclusiveStartKey is { } startItem ? IndexKey.Of(_index, _scope.Schema, startItem)?.StoreKey(_index) : null;
        var (from, to) = KeyRanges.After(StoreKeys.HashStart(pageRequest.HashStart), StoreKeys.HashEnd(rangeEnd), start, forward: true);
        var source = PageReader.Items(PageReader.ReadRange(_scope, RecordKind.IndexEntry, from, to, true, pageRequest.Limit, pageRequest.ByteBudget));
        var page = await PageReader.ReadAsync(source, RequestExpressions.For(request, validated: true), item => IndexRules.KeyOf(_index, _scope.Schema, item),
            pageRequest.Limit, pageRequest.ByteBudget, PageReader.IsCountOnly(request.Select));
        return IndexReads.ScanPageOf(page, rangeEnd, request, _capacity);
    }

    public Task<PartitionStats> GetStats() =>
        Task.FromResult(_serving ? new PartitionStats(_counters.ItemCount, _counters.TotalBytes) : new PartitionStats(0, 0));

    public Task RefreshTable(TableInfo table)
    {
        EnsureServing();
        if (table.FindIndexById(_index.IndexId) is not { } index) throw new StaleRouteException($"Index partition {_scope} is not part of the index");
        (_scope.Table, _index) = (table, index);
        _capacity.Refresh(table, index, index.Map?.Ranges.Count ?? 1);
        // Limits set since activation (UpdateTable to PROVISIONED, say) start the reports now.
        return StartCapacityReportsAsync();
    }

    private Task StartCapacityReportsAsync() =>
        _capacity.StartReportsAsync(this, GrainFactory, _index.IndexId, _scope.PartitionId, options.Value.CapacityWindow, () => _serving);

    /// <summary>The index is gone: its space is deleted by the table (or the space cleaner); this activation retires.</summary>
    public Task Drop()
    {
        Retire();
        return Task.CompletedTask;
    }

    private void EnsureServing()
    {
        if (!_serving) throw new StaleRouteException($"Index partition {_scope} is not part of the index");
    }

    private void Retire()
    {
        _serving = false;
        DeactivateOnIdle();
    }

    Task PartitionSplitter.IParticipant.QuiesceAsync() => Task.CompletedTask;
    void PartitionSplitter.IParticipant.Adopt(PartitionRange range, double keptFraction) => _capacity.Keep(keptFraction);
    void PartitionSplitter.IParticipant.Retire() => Retire();

    /// <summary>Where an item's entry is: the change sequence that wrote it, the entry's size, and its key (none: a tombstone).</summary>
    private readonly record struct Reference(long Sequence, int Size, byte[] EntryKey)
    {
        public bool IsTombstone => EntryKey.Length == 0;

        public byte[] Encode()
        {
            var bytes = new byte[12 + EntryKey.Length];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, Sequence);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Size);
            EntryKey.CopyTo(bytes, 12);
            return bytes;
        }

        public static Reference Decode(byte[] bytes) =>
            new(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)), bytes[12..]);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Index partition {Partition} activated ({EntryCount} entries) at epoch {Epoch}")]
    private static partial void LogActivated(ILogger logger, string partition, long entryCount, long epoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index partition {Partition} could not commit; the activation retires")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, string partition);
}
