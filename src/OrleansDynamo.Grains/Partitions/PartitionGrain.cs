using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// One hash range of one table incarnation. Items live in memory (<see cref="PartitionItems"/>) and in
/// the <see cref="IPartitionStore"/>; a write reaches memory only after the store has committed it.
/// Each operation is in its own partial file (PartitionGrain.PutItem.cs, ...).
/// </summary>
// New partitions go to the less loaded of two random silos; the rebalancer evens out the rest.
[ActivationCountBasedPlacement]
// Reentrant so that writes arriving while a commit is in flight can join the next one; every item
// operation still decides and queues its write without awaiting in between, so it stays atomic.
[Reentrant]
public sealed partial class PartitionGrain(IPartitionStore store, IOptions<OrleansDynamoOptions> options, ILogger<PartitionGrain> logger)
    : Grain, IPartitionGrain
{
    // Durable items only: reads never see a write before its commit.
    private readonly PartitionItems _items = new();
    // The newest not-yet-durable value of keys with writes in flight (null = delete).
    private readonly Dictionary<ItemKey, Item?> _pending = [];
    private List<PendingWrite> _queue = [];
    private Task? _flushing;
    private PartitionAddress _address = null!;
    private TableInfo? _table;
    private PartitionRange? _range;
    private long _epoch;

    private TableSchema Schema => _table!.Schema;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tableName, incarnation, partitionId) = PartitionKey.Parse(this.GetPrimaryKeyString());
        _address = new PartitionAddress(tableName, incarnation, partitionId);
        try
        {
            var table = await GrainFactory.GetGrain<ITableGrain>(tableName).GetInfo();
            var range = table.Map.Ranges.FirstOrDefault(r => r.PartitionId == partitionId);
            if (table.Incarnation == incarnation && range is not null)
            {
                _table = table;
                _range = range;
            }
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
        }
        if (_table is null)
        {
            // Not (or no longer) part of the table: answer "stale route" to whoever got here, then go.
            DeactivateOnIdle();
            return;
        }
        var load = await store.OpenAsync(_address, cancellationToken);
        _epoch = load.Epoch;
        var strays = new List<ItemKey>();
        var outboxRecords = new List<Item>();
        foreach (var item in load.Items)
        {
            if (IsOutboxRecord(item))
            {
                outboxRecords.Add(item);
                continue;
            }
            var key = ItemKey.Of(item, Schema);
            if (_range!.Contains(key.Hash)) _items.Put(key, item);
            else strays.Add(key); // Left behind by a split that moved them to another partition.
        }
        LoadIndexes(outboxRecords, strays);
        if (strays.Count > 0) await ForgetAsync(strays);
        StartLoadTracking();
        LogActivated(logger, _address.ToString(), _items.Count, _epoch);
    }

    public Task<PartitionStats> GetStats() => Task.FromResult(new PartitionStats(_items.Count, _items.SizeBytes));

    public async Task Drop()
    {
        if (_flushing is not null) await _flushing;
        await store.DeletePartitionAsync(_address);
        _table = null;
        DeactivateOnIdle();
    }

    /// <summary>The position of a key in this partition; a stale route when this partition does not own it.</summary>
    private ItemKey Locate(Item key)
    {
        EnsureServing();
        return Owned(ItemKey.Of(key, Schema));
    }

    private ItemKey Owned(ItemKey key) =>
        _range!.Contains(key.Hash) ? key : throw new StaleRouteException($"Partition {_address} does not own the key");

    private void EnsureServing()
    {
        if (_table is null) throw new StaleRouteException($"Partition {_address} is not part of the table");
    }

    /// <summary>
    /// Queues one item change and completes once it is durable and visible. Concurrent writes share one
    /// store commit (group commit): while a commit is in flight, new writes gather for the next one.
    /// </summary>
    private Task CommitAsync(ItemKey key, Item? item)
    {
        var write = new PendingWrite(key, item, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending[key] = item;
        _queue.Add(write);
        if (_flushing is null or { IsCompleted: true }) _flushing = FlushAsync();
        return write.Done.Task;
    }

    private async Task FlushAsync()
    {
        // Acknowledged outbox records are deleted with the next batch, or in a batch of their own.
        while (_queue.Count > 0 || _outboxAcks.Count > 0)
        {
            List<PendingWrite> batch;
            if (options.Value.GroupCommit || _queue.Count == 0) { batch = _queue; _queue = []; }
            else { batch = [_queue[0]]; _queue.RemoveAt(0); }
            var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _batchApplied = applied.Task;
            // The items' global index changes (outbox records) are committed atomically with the items.
            var writes = OutboxWrites(batch);
            writes.AddRange(batch.Select(w => new ItemWrite(w.Key.StoreKey(), w.Item)));
            try
            {
                await store.CommitAsync(_address, _epoch, writes);
            }
            catch (Exception e)
            {
                applied.TrySetResult();
                FailPendingWrites(batch, e);
                break;
            }
            foreach (var write in batch)
            {
                SetDurable(write.Key, write.Item);
                if (_pending.TryGetValue(write.Key, out var newest) && ReferenceEquals(newest, write.Item)) _pending.Remove(write.Key);
            }
            applied.TrySetResult();
            MarkDurable(batch);
            foreach (var write in batch) write.Done.TrySetResult();
            AfterCommit(batch.Count);
        }
    }

    /// <summary>
    /// A failed commit fails its batch and everything queued behind it (those writes were decided on top of
    /// it). The activation then retires, so the next one reloads memory from what the store really holds.
    /// </summary>
    private void FailPendingWrites(List<PendingWrite> batch, Exception error)
    {
        var failed = batch.Concat(_queue).ToList();
        _queue = [];
        _pending.Clear();
        _table = null;
        DeactivateOnIdle();
        if (error is StaleEpochException) LogFenced(logger, _address.ToString(), _epoch);
        else LogCommitFailed(logger, error, _address.ToString());
        var reply = DynamoErrors.InternalServerError("The request could not be stored; retry it");
        foreach (var write in failed) write.Done.TrySetException(reply);
    }

    /// <summary>The newest value of an item, including writes not yet durable: what a write decides on.</summary>
    private Item? Newest(ItemKey key) => _pending.TryGetValue(key, out var item) ? item : _items.Get(key);

    private sealed record PendingWrite(ItemKey Key, Item? Item, TaskCompletionSource Done);

    private static bool Wants(string? returnValues, string expected) => returnValues == expected;

    /// <summary>A write's ConditionExpression (or Expected) against the newest item; the old item goes back on failure when asked.</summary>
    private static void CheckCondition(RequestExpressions expressions, Item? existing, string? returnValuesOnConditionCheckFailure)
    {
        if (!expressions.EvaluateCondition(existing))
            throw DynamoErrors.ConditionalCheckFailed(
                ReturnValuesRules.ReturnsOldItemOnConditionFailure(returnValuesOnConditionCheckFailure) ? existing : null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} was opened by a newer activation than epoch {Epoch}; this one retires")]
    private static partial void LogFenced(ILogger logger, string partition, long epoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition} could not commit; pending writes fail and the activation retires")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, string partition);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Partition} activated with {ItemCount} items at epoch {Epoch}")]
    private static partial void LogActivated(ILogger logger, string partition, int itemCount, long epoch);
}
