using Microsoft.Extensions.Logging;
using OrleansDynamo.Grains;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Splitting: a partition that holds too much data, or stays hot, gives the upper half of its hash range
/// to a new partition. Crash-safe in this order: the child's items are written to the store, then the
/// table's map changes, then the parent forgets the moved items. A crash before the map changes leaves
/// the parent owning everything (the child's copy is never routed to); a crash after it leaves copies in
/// the parent's store, which the parent's next activation removes because they are outside its range.
/// </summary>
public sealed partial class PartitionGrain
{
    private const int SplitCopyBatch = 1000;

    private Task? _splitting;
    private int _writesThisWindow;
    private int _hotWindows;

    /// <summary>Writes wait while a split copies data, so nothing is written to a half that is moving.</summary>
    private ValueTask WritesOpenAsync() =>
        _splitting is { IsCompleted: false } split ? new ValueTask(split) : ValueTask.CompletedTask;

    private void AfterCommit(int writes)
    {
        _writesThisWindow += writes;
        if (_items.SizeBytes > options.Value.SplitThresholdBytes) StartSplit("size");
    }

    private void StartSplit(string reason)
    {
        if (_table is null || _splitting is { IsCompleted: false }) return;
        _splitting = SplitAsync(reason);
    }

    private void StartLoadTracking()
    {
        if (options.Value.HotSplitWritesPerSecond <= 0) return;
        var window = options.Value.HotSplitWindow;
        this.RegisterGrainTimer(_ =>
        {
            var hot = _writesThisWindow / window.TotalSeconds > options.Value.HotSplitWritesPerSecond;
            _writesThisWindow = 0;
            _hotWindows = hot ? _hotWindows + 1 : 0;
            if (_hotWindows >= options.Value.HotSplitWindows)
            {
                _hotWindows = 0;
                StartSplit("load");
            }
            return Task.CompletedTask;
        }, window, window);
    }

    private async Task SplitAsync(string reason)
    {
        try
        {
            // Writes already decided reach the store first; writes arriving from now on wait for the split.
            if (_flushing is { IsCompleted: false } flushing) await flushing;
            // A delivery round in flight ends first: the child must not deliver an item's newer change before it.
            await _deliveryRound;
            if (_table is null || MedianHash() is not { } splitAt) return;

            var tableGrain = GrainFactory.GetGrain<ITableGrain>(_address.TableName);
            var childId = await tableGrain.AllocatePartitionId();
            var child = _address with { PartitionId = childId };
            var moving = _items.Range(ItemKey.BeforeHash(splitAt), ItemKey.AfterHash(_range!.End)).ToList();
            // Undelivered global index changes move with their items (the child delivers them).
            var movingRecords = _outbox.Where(r => r.Key.Hash >= splitAt).ToList();

            var childEpoch = (await store.OpenAsync(child)).Epoch;
            var copies = moving.Select(e => new ItemWrite(e.Key.StoreKey(), e.Item))
                .Concat(movingRecords.Select(r => new ItemWrite(OutboxStoreKey(r.Key), EncodeRecord(r.Value))));
            foreach (var chunk in copies.Chunk(SplitCopyBatch))
                await store.CommitAsync(child, childEpoch, chunk);

            var table = await tableGrain.CommitSplit(_address.PartitionId, splitAt, childId);
            _table = table;
            _range = table.Map.Ranges.First(r => r.PartitionId == _address.PartitionId);
            foreach (var (key, _) in moving) SetDurable(key, null);
            foreach (var (key, _) in movingRecords) _outbox.Remove(key);
            foreach (var key in _backfill.Keys.Where(k => k.Hash >= splitAt).ToList()) _backfill.Remove(key);
            LogSplit(logger, _address.ToString(), reason, childId, moving.Count);

            await ForgetAsync(moving.Select(e => e.Key).Concat(movingRecords.Select(r => r.Key)));
        }
        catch (Exception e)
        {
            LogSplitFailed(logger, e, _address.ToString());
        }
    }

    /// <summary>
    /// Deletes items this partition no longer owns from its store. Only tidying: if it fails, the items
    /// stay invisible (outside the range) and the next activation tries again.
    /// </summary>
    private async Task ForgetAsync(IEnumerable<ItemKey> keys)
    {
        // An item's outbox record (global index changes) goes with it.
        var outbox = _table?.Indexes is not null;
        var deletes = keys.SelectMany(k => outbox
            ? (ItemWrite[])[new ItemWrite(k.StoreKey(), null), new ItemWrite(OutboxStoreKey(k), null)]
            : [new ItemWrite(k.StoreKey(), null)]).ToList();
        try
        {
            foreach (var chunk in deletes.Chunk(SplitCopyBatch)) await store.CommitAsync(_address, _epoch, chunk);
        }
        catch (Exception e)
        {
            LogForgetFailed(logger, e, _address.ToString(), deletes.Count);
        }
    }

    /// <summary>The hash that halves the partition's items, or null when all items share one hash.</summary>
    private ulong? MedianHash()
    {
        var index = 0;
        var middle = _items.Count / 2;
        foreach (var (key, _) in _items.Range(ItemKey.BeforeHash(_range!.Start), ItemKey.AfterHash(_range.End)))
        {
            if (index++ >= middle && key.Hash > _range.Start) return key.Hash;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} split by {Reason}: {Moved} items moved to partition {Child}")]
    private static partial void LogSplit(ILogger logger, string partition, string reason, int child, int moved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not split; it keeps its whole range")]
    private static partial void LogSplitFailed(ILogger logger, Exception error, string partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not delete {Count} items it no longer owns; its next activation will")]
    private static partial void LogForgetFailed(ILogger logger, Exception error, string partition, int count);
}
