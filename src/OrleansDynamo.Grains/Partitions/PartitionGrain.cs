using Microsoft.Extensions.Logging;
using Orleans.Placement;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// One hash range of one table incarnation. Items live in memory (<see cref="PartitionItems"/>) and in
/// the <see cref="IPartitionStore"/>; a write reaches memory only after the store has committed it.
/// Each operation is in its own partial file (PartitionGrain.PutItem.cs, ...).
/// </summary>
[RandomPlacement] // Spread partitions over the silos; nothing pins a partition to the silo that first called it.
public sealed partial class PartitionGrain(IPartitionStore store, ILogger<PartitionGrain> logger) : Grain, IPartitionGrain
{
    private readonly PartitionItems _items = new();
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
            if (table.Incarnation != incarnation || range is null) return;
            _table = table;
            _range = range;
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
            return; // The table is gone: stay empty; every request is told the route is stale.
        }
        var load = await store.OpenAsync(_address, cancellationToken);
        _epoch = load.Epoch;
        foreach (var item in load.Items) _items.Put(ItemKey.Of(item, Schema), item);
        LogActivated(logger, _address.ToString(), _items.Count, _epoch);
    }

    public Task<PartitionStats> GetStats() => Task.FromResult(new PartitionStats(_items.Count, _items.SizeBytes));

    public async Task Drop()
    {
        await store.DeletePartitionAsync(_address);
        _table = null;
        DeactivateOnIdle();
    }

    /// <summary>The position of a key in this partition; a stale route when this partition does not own it.</summary>
    private ItemKey Locate(Item key)
    {
        if (_table is null) throw new StaleRouteException($"Partition {_address} is not part of the table");
        var itemKey = ItemKey.Of(key, Schema);
        if (!_range!.Contains(itemKey.Hash)) throw new StaleRouteException($"Partition {_address} does not own the key");
        return itemKey;
    }

    /// <summary>Makes one item change durable, then visible.</summary>
    private async Task CommitAsync(ItemKey key, Item? item)
    {
        try
        {
            await store.CommitAsync(_address, _epoch, [new ItemWrite(key.StoreKey(), item)]);
        }
        catch (StaleEpochException)
        {
            // A newer activation owns the partition: this one must not serve anything more.
            DeactivateOnIdle();
            throw DynamoErrors.InternalServerError("The partition moved; retry the request");
        }
        if (item is null) _items.Remove(key);
        else _items.Put(key, item);
    }

    private static bool Wants(string? returnValues, string expected) => returnValues == expected;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Partition} activated with {ItemCount} items at epoch {Epoch}")]
    private static partial void LogActivated(ILogger logger, string partition, int itemCount, long epoch);
}
