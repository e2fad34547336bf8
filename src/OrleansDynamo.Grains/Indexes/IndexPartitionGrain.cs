using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansDynamo.Expressions;
using OrleansDynamo.Hosting;
using OrleansDynamo.Keys;
using Orleans.Placement;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Partitions;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Indexes;

/// <summary>
/// One partition of a global secondary index. Entries are kept in memory in index order and in the
/// partition store under their item's table key (an item has at most one entry per index partition), each
/// with the sequence of the change that wrote it, so that changes apply idempotently and never go back
/// in time. Stored under its own address (the table incarnation plus the index id), fenced by epoch like a
/// table partition.
/// </summary>
[RandomPlacement]
public sealed partial class IndexPartitionGrain(IPartitionStore store, IOptions<OrleansDynamoOptions> options, ILogger<IndexPartitionGrain> logger)
    : Grain, IIndexPartitionGrain
{
    private const string SequenceAttribute = "\u0000odyn.sequence";

    private sealed record Entry(Item Item, long Sequence);

    private readonly OrderedIndex<Entry> _entries = new();
    private PartitionAddress _address = null!;
    private TableInfo? _table;
    private IndexInfo? _index;
    private PartitionRange? _range;
    private long _epoch;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tableName, incarnation, indexId, partitionId) = IndexPartitionKey.Parse(this.GetPrimaryKeyString());
        _address = new PartitionAddress(tableName, $"{incarnation}#{indexId}", partitionId);
        try
        {
            var table = await GrainFactory.GetGrain<ITableGrain>(tableName).GetInfo();
            var index = table.GlobalIndexes.FirstOrDefault(i => i.IndexId == indexId);
            var range = index?.Map!.Ranges.FirstOrDefault(r => r.PartitionId == partitionId);
            if (table.Incarnation == incarnation && range is not null)
            {
                (_table, _index, _range) = (table, index, range);
            }
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
        }
        // Not (or no longer) part of an index: answers "stale route", and can still Drop its data.
        if (_table is null) return;
        var load = await store.OpenAsync(_address, cancellationToken);
        _epoch = load.Epoch;
        var strays = new List<ItemWrite>();
        foreach (var stored in load.Items)
        {
            var sequence = long.Parse(stored[SequenceAttribute].S, CultureInfo.InvariantCulture);
            var item = stored.With(remove: [SequenceAttribute]);
            if (IndexKey.Of(_index!, _table.Schema, item) is { } key && _range!.Contains(key.Hash)) Put(item, sequence);
            else strays.Add(new ItemWrite(ItemKey.Of(item, _table.Schema).StoreKey(), null)); // Moved away by a split.
        }
        if (strays.Count > 0) await ForgetAsync(strays);
        LogActivated(logger, _address.ToString(), _entries.Count, _epoch);
    }

    public async Task Apply(IReadOnlyList<IndexChange> changes)
    {
        EnsureServing();
        if (changes.Any(c => !_range!.Contains(c.IndexHash))) throw new StaleRouteException($"Index partition {_address} does not own the change");
        // Per item, the newest change of the call, if it is newer than what the partition holds.
        var newest = new Dictionary<ItemKey, IndexChange>();
        foreach (var change in changes)
        {
            var key = ItemKey.Of(change.TableKey, _table!.Schema);
            if (newest.TryGetValue(key, out var other) && other.Sequence >= change.Sequence) continue;
            newest[key] = change;
        }
        var applied = newest.Where(c => _entries.Get(c.Key) is not { } held || held.Value.Sequence < c.Value.Sequence).ToList();
        var writes = new List<ItemWrite>();
        foreach (var (key, change) in applied)
        {
            if (change.Entry is null)
            {
                if (_entries.Get(key) is not null) writes.Add(new ItemWrite(key.StoreKey(), null));
                continue;
            }
            writes.Add(new ItemWrite(key.StoreKey(), Stored(new Entry(change.Entry, change.Sequence))));
        }
        if (writes.Count == 0) return;
        try
        {
            await store.CommitAsync(_address, _epoch, writes);
        }
        catch (Exception e)
        {
            // Memory may no longer match the store: the next activation reloads. The sender retries.
            _table = null;
            DeactivateOnIdle();
            LogCommitFailed(logger, e, _address.ToString());
            throw DynamoErrors.InternalServerError("The index change could not be stored; retry it");
        }
        foreach (var (key, change) in applied)
        {
            if (change.Entry is null) _entries.Remove(key);
            else Put(change.Entry, change.Sequence);
        }
        // Inside this call, so no other change applies while entries move.
        if (_entries.SizeBytes > options.Value.SplitThresholdBytes) await SplitAsync();
    }

    /// <summary>
    /// Gives the upper half of this index partition's hash range to a new partition, in the order a table
    /// partition does (see PartitionGrain.Split.cs): copy to the child, change the index's map, then forget.
    /// </summary>
    private async Task SplitAsync()
    {
        try
        {
            if (MedianHash() is not { } splitAt) return;
            var tableGrain = GrainFactory.GetGrain<ITableGrain>(_address.TableName);
            var childId = await tableGrain.AllocatePartitionId();
            var child = _address with { PartitionId = childId };
            var moving = _entries.All.Where(e => e.Key.Hash >= splitAt).ToList();
            var childEpoch = (await store.OpenAsync(child)).Epoch;
            foreach (var chunk in moving.Chunk(1000))
                await store.CommitAsync(child, childEpoch, chunk.Select(e => new ItemWrite(e.ItemKey.StoreKey(), Stored(e.Value))).ToList());

            var table = await tableGrain.CommitIndexSplit(_index!.IndexId, _address.PartitionId, splitAt, childId);
            _table = table;
            _index = table.Indexes!.First(i => i.IndexId == _index.IndexId);
            _range = _index.Map!.Ranges.First(r => r.PartitionId == _address.PartitionId);
            foreach (var entry in moving) _entries.Remove(entry.ItemKey);
            LogSplit(logger, _address.ToString(), moving.Count, childId);
            await ForgetAsync(moving.Select(e => new ItemWrite(e.ItemKey.StoreKey(), null)).ToList());
        }
        catch (Exception e)
        {
            LogSplitFailed(logger, e, _address.ToString());
        }
    }

    private ulong? MedianHash()
    {
        var index = 0;
        foreach (var entry in _entries.All)
            if (index++ >= _entries.Count / 2 && entry.Key.Hash > _range!.Start) return entry.Key.Hash;
        return null;
    }

    /// <summary>Deletes entries this partition no longer owns; if it fails, the next activation tries again.</summary>
    private async Task ForgetAsync(List<ItemWrite> deletes)
    {
        try
        {
            foreach (var chunk in deletes.Chunk(1000)) await store.CommitAsync(_address, _epoch, chunk);
        }
        catch (Exception e)
        {
            LogSplitFailed(logger, e, _address.ToString());
        }
    }

    private static Item Stored(Entry entry) =>
        entry.Item.With(set: [KeyValuePair.Create(SequenceAttribute, AttributeValue.FromS(entry.Sequence.ToString(CultureInfo.InvariantCulture)))]);

    public Task<QueryResponse> Query(QueryRequest request)
    {
        EnsureServing();
        var expressions = RequestExpressions.For(request, validated: true);
        var condition = IndexReads.KeyConditionOf(_index!, expressions);
        if (!_range!.Contains(KeyBytes.PartitionHash(condition.HashValue)))
            throw new StaleRouteException($"Index partition {_address} does not own the queried key");
        return Task.FromResult(IndexReads.Query(_entries, _index!, _table!.Schema, request, expressions, condition, e => e.Item, _table.TableName));
    }

    public Task<ScanPage> Scan(ScanPageRequest pageRequest)
    {
        EnsureServing();
        if (!_range!.Contains(pageRequest.HashStart)) throw new StaleRouteException($"Index partition {_address} does not own the scan position");
        return Task.FromResult(IndexReads.Scan(_entries, _index!, _table!.Schema, pageRequest, _range, e => e.Item));
    }

    public Task<PartitionStats> GetStats() => Task.FromResult(new PartitionStats(_entries.Count, _entries.SizeBytes));

    public async Task Drop()
    {
        await store.DeletePartitionAsync(_address);
        _table = null;
        DeactivateOnIdle();
    }

    private void Put(Item item, long sequence)
    {
        var key = IndexKey.Of(_index!, _table!.Schema, item) ?? throw new InvalidOperationException("An index entry without its index key");
        _entries.Put(ItemKey.Of(item, _table.Schema), key, new Entry(item, sequence), item.SizeInBytes);
    }

    private void EnsureServing()
    {
        if (_table is null) throw new StaleRouteException($"Index partition {_address} is not part of the index");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Index partition {Partition} activated with {EntryCount} entries at epoch {Epoch}")]
    private static partial void LogActivated(ILogger logger, string partition, int entryCount, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Index partition {Partition} split: {Moved} entries moved to partition {Child}")]
    private static partial void LogSplit(ILogger logger, string partition, int moved, int child);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index partition {Partition} could not split or tidy up after a split")]
    private static partial void LogSplitFailed(ILogger logger, Exception error, string partition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index partition {Partition} could not commit; the activation retires")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, string partition);
}
