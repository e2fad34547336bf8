using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// One hash range of one table incarnation: a thin Orleans shell over plain collaborators. Items live in
/// the <see cref="IPartitionStore"/> and are read through it (<see cref="ItemAccess"/>, with the silo's
/// <see cref="ItemCache"/>); writes go through group commit (<see cref="CommitQueue"/>) together with
/// their local index entries (<see cref="LocalIndexes"/>), counters (<see cref="PartitionCounters"/>) and
/// global index outbox records (<see cref="IndexOutbox"/>); <see cref="PartitionSplitter"/> splits the
/// range. Activation reads no items, so it costs the same whatever the data size.
/// Each operation is in its own partial file (PartitionGrain.PutItem.cs, ...).
/// </summary>
// New partitions go to the less loaded of two random silos; the rebalancer evens out the rest.
[ActivationCountBasedPlacement]
// Reentrant so that writes arriving while a commit is in flight can join the next one; every item
// operation decides and queues its write without awaiting in between, so it stays atomic.
[Reentrant]
public sealed partial class PartitionGrain(IPartitionStore store, ItemCache cache, OrleansDynamoClock clock, IOptions<OrleansDynamoOptions> options,
    ILogger<PartitionGrain> logger)
    : Grain, IPartitionGrain, CommitQueue.IBatchParticipant, PartitionSplitter.IParticipant, IPartitionHost
{
    private PartitionScope _scope = null!;
    private ItemAccess _items = null!;
    private CommitQueue _commits = null!;
    private PartitionCounters _counters = null!;
    private LocalIndexes _local = null!;
    private IndexOutbox _outbox = null!;
    private PartitionSplitter _splitter = null!;
    private TransactionIntents _intents = null!;
    private TransactionRecords _records = null!;
    private ChangeLog _changes = null!;
    private ExpiryIndex _expiry = null!;
    private RecoveryLog _recovery = null!;
    private Client.TableRouter _router = null!;
    private PartitionCapacity _capacity = null!;
    private int _throttledWindows;
    private bool _serving;
    private int _writesThisWindow;
    private int _hotWindows;

    private static readonly TimeSpan StaleActivationLifetime = TimeSpan.FromSeconds(30);

    private TableSchema Schema => _scope.Schema;
    private string TableName => _scope.Table.TableName;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tableName, incarnation, partitionId) = PartitionKey.Parse(this.GetPrimaryKeyString());
        _scope = new PartitionScope(store, new StoreSpace(tableName, incarnation), partitionId);
        TableInfo? table = null;
        try
        {
            table = await GrainFactory.GetGrain<ITableGrain>(tableName).GetInfo();
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
        }
        if (table is null || table.Incarnation != incarnation)
        {
            // A dropped incarnation never comes back: answer "stale route" to whoever got here for a while, then
            // go. Deactivating at once would forward the calls queued here to yet another activation, until Orleans
            // runs out of forwards and a caller is left waiting for its timeout.
            this.RegisterGrainTimer(_ => { DeactivateOnIdle(); return Task.CompletedTask; }, StaleActivationLifetime, Timeout.InfiniteTimeSpan);
            return;
        }
        var opening = await store.OpenAsync(_scope.Space, partitionId, cancellationToken);
        if (opening.Range is null)
        {
            DeactivateOnIdle();
            return;
        }
        _scope.Table = table;
        _scope.Epoch = opening.Epoch;
        _scope.Range = opening.Range;
        _items = new ItemAccess(_scope, cache, cache.NewGeneration());
        _commits = new CommitQueue(_scope, options.Value.GroupCommit, this);
        _counters = await PartitionCounters.LoadAsync(_scope, LocalIndexes.SlotsFor(table));
        _local = new LocalIndexes(_scope, options.Value.ItemCollectionSizeLimitBytes);
        _outbox = new IndexOutbox(_scope, _items, this, clock);
        _splitter = new PartitionSplitter(_scope, _counters, GrainFactory, logger, this);
        _intents = new TransactionIntents(_scope);
        _records = new TransactionRecords(_scope);
        _router = new Client.TableRouter(GrainFactory);
        await _local.RebuildAsync(_counters);
        await _outbox.LoadAsync();
        await _intents.LoadAsync();
        await _records.LoadAsync();
        _changes = new ChangeLog(_scope, clock);
        await _changes.LoadAsync();
        // The shard this activation writes to is durable before any write is decided.
        if (_changes.Change(await _changes.FindAncestorAsync()) is { Count: > 0 } shards)
            await store.CommitAsync(_scope.Space, partitionId, _scope.Epoch, shards, cancellationToken);
        _expiry = new ExpiryIndex(_scope, clock);
        _recovery = new RecoveryLog(_scope, clock);
        await _recovery.LoadAsync();
        _capacity = new PartitionCapacity(options.Value, table, null, table.Map.Ranges.Count);
        await StartCapacityReportsAsync();
        _serving = true;
        Hosting.OrleansDynamoTelemetry.PartitionsActive(+1);
        Hosting.OrleansDynamoTelemetry.Observe(_outbox);
        _outbox.Resume();
        StartLoadTracking();
        StartIntentResolution();
        StartStreamTrim();
        StartExpiryBackfill();
        LogActivated(logger, _scope.ToString(), _counters.ItemCount, _scope.Epoch);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_serving)
        {
            Hosting.OrleansDynamoTelemetry.PartitionsActive(-1);
            Hosting.OrleansDynamoTelemetry.Forget(_outbox);
        }
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<PartitionStats> GetStats() =>
        Task.FromResult(_serving ? new PartitionStats(_counters.ItemCount, _counters.TotalBytes) { Requests = _capacity.Admissions } : new PartitionStats(0, 0));

    public Task<IReadOnlyDictionary<string, PartitionStats>> GetIndexStats()
    {
        EnsureServing();
        var stats = new Dictionary<string, PartitionStats>(StringComparer.Ordinal);
        var indexes = _local.Indexes;
        for (var i = 0; i < indexes.Count; i++) stats[indexes[i].Name] = new PartitionStats(_counters.Total(PartitionCounters.LocalIndexEntries(i)), _counters.Total(PartitionCounters.LocalIndexEntries(i) + 1));
        return Task.FromResult<IReadOnlyDictionary<string, PartitionStats>>(stats);
    }

    public Task<int> GetOutboxSize() => Task.FromResult(_serving ? _outbox.Size : 0);

    public Task RefreshTable(TableInfo table)
    {
        EnsureServing();
        if (table.Incarnation != _scope.Space.Incarnation || table.Map.Ranges.All(r => r.PartitionId != _scope.PartitionId))
            throw new StaleRouteException($"Partition {_scope} is not part of the table");
        _scope.Table = table with { Map = _scope.Table.Map.Version >= table.Map.Version ? _scope.Table.Map : table.Map };
        _capacity.Refresh(_scope.Table, null, _scope.Table.Map.Ranges.Count);
        _ = StartCapacityReportsAsync();
        StartExpiryBackfill();
        // A stream turned on or off: the next commit closes the shard and opens the next, before any new record.
        return _changes.NeedsChange ? _commits.EnqueueRecords(_changes.Change()) : Task.CompletedTask;
    }

    public async Task<long?> BackfillIndex(TableInfo table, string indexName)
    {
        await RefreshTable(table);
        return await _outbox.BackfillAsync(indexName, _commits.Idle);
    }

    /// <summary>The table is gone: its space is deleted by the table (or the space cleaner); this activation just retires.</summary>
    public async Task Drop()
    {
        if (_serving) await _commits.Idle;
        Retire();
    }

    /// <summary>The position of a key of a read or write that capacity admits now: a throttling error when it does not.</summary>
    private ItemKey Admit(Item key, bool read)
    {
        var located = Locate(key);
        _capacity.ThrowIfThrottled(read);
        return located;
    }

    /// <summary>The position of a key in this partition; a stale route when this partition does not own it.</summary>
    private ItemKey Locate(Item key)
    {
        EnsureServing();
        return Owned(ItemKey.Of(key, Schema));
    }

    private ItemKey Owned(ItemKey key) =>
        _scope.Owns(key.Hash) ? key : throw new StaleRouteException($"Partition {_scope} does not own the key");

    private void EnsureServing()
    {
        if (!_serving) throw new StaleRouteException($"Partition {_scope} is not part of the table");
    }

    // --- Writes ---

    /// <summary>Writes wait while a split runs, so nothing is decided on a range that is changing.</summary>
    private async ValueTask WritesOpenAsync()
    {
        while (_splitter is { IsSplitting: true }) await _splitter.Done;
    }

    /// <summary>
    /// Whether writes to <paramref name="keys"/> can be decided now: no split is running and every value they
    /// decide on is known without a store read. A stale route when the partition does not own one of them.
    /// Callers loop <c>while (!Ready(keys)) await PrepareAsync(keys);</c> and then decide without awaiting,
    /// so nothing interleaves between the check and the queued write. A single-item write of an item that a
    /// transaction holds is a TransactionConflict; a transaction's prepare decides on held items itself.
    /// </summary>
    private bool Ready(IReadOnlyList<ItemKey> keys, bool transactional = false)
    {
        EnsureServing();
        if (_splitter.IsSplitting) return false;
        foreach (var key in keys)
        {
            Owned(key);
            if (!transactional && _intents.IsHeld(key)) throw DynamoErrors.TransactionConflict();
        }
        return keys.All(Known);
    }

    private async ValueTask PrepareAsync(IReadOnlyList<ItemKey> keys)
    {
        await WritesOpenAsync();
        EnsureServing();
        await _items.StageAsync(keys);
        foreach (var key in keys) await _local.StageCollectionAsync(key);
    }

    private bool Known(ItemKey key) => _items.IsKnown(key) && _local.TryCollectionSize(key, out _);

    private Item? Newest(ItemKey key, out Task? inFlight) =>
        _items.TryNewest(key, out var item, out inFlight) ? item : throw new InvalidOperationException("Decided on an item that was not staged");

    /// <summary>Queues one item change; completes once it is durable and visible.</summary>
    /// <summary>
    /// Commits a request's item write, once the global indexes it changes have capacity for it (the table's was
    /// admitted with the key); transactions and time to live deletes are not refused, and use <see cref="NewWrite"/>.
    /// </summary>
    private Task CommitAsync(ItemKey key, Item? existing, Item? item) =>
        _capacity.IndexWriteRefusal(existing, item) is { } refusal ? throw refusal : _commits.Enqueue(NewWrite(key, existing, item));

    /// <summary>An item change, pending from now on (before it is queued: a store that commits synchronously makes it durable on return).</summary>
    private PendingWrite NewWrite(ItemKey key, Item? existing, Item? item, bool byTimeToLive = false, bool unmetered = false)
    {
        var write = new PendingWrite(key, existing, item, byTimeToLive);
        // Time to live deletes are free, as in DynamoDB, and so are the writes of a restore or an import.
        if (!byTimeToLive && !unmetered) _capacity.ChargeWrite(existing, item);
        write.Pending = _items.SetPending(key, item, write.Done.Task);
        _outbox.Touched(key);
        _intents.Touched(key);
        return write;
    }

    /// <summary>
    /// A condition that failed on a value not yet durable is answered only once that value is: if its
    /// write fails, so does this request (it was decided on something that never happened).
    /// </summary>
    private static async Task AfterInFlightAsync(Task? inFlight)
    {
        if (inFlight is null) return;
        try
        {
            await inFlight;
        }
        catch (Exception)
        {
            throw DynamoErrors.NotStored();
        }
    }

    /// <summary>A failed ConditionExpression (or Expected); the old item goes back when asked.</summary>
    private static async Task ConditionFailedAsync(Item? existing, Task? inFlight, string? returnValuesOnConditionCheckFailure)
    {
        await AfterInFlightAsync(inFlight);
        throw DynamoErrors.ConditionalCheckFailed(
            ReturnValuesRules.ReturnsOldItemOnConditionFailure(returnValuesOnConditionCheckFailure) ? existing : null);
    }

    /// <summary>The index checks of a write, made in the partition because it always knows the table's indexes.</summary>
    private void CheckIndexedWrite(ItemKey key, Item? existing, Item? item)
    {
        if (_scope.Table.Indexes is null || item is null) return;
        IndexRules.CheckItem(item, _scope.Table);
        _local.CheckCollectionLimit(key, existing, item);
    }

    private static bool Wants(string? returnValues, string expected) => returnValues == expected;

    List<StoreWrite> CommitQueue.IBatchParticipant.BuildWrites(List<PendingWrite> batch)
    {
        var writes = new List<StoreWrite>(batch.Count * 3);
        foreach (var write in batch)
        {
            writes.Add(new StoreWrite(RecordKind.Item, write.Key.Bytes, write.Encoded));
            _counters.Add(write.Key.Hash, PartitionCounters.Items, (write.Item is null ? 0 : 1) - (write.Existing is null ? 0 : 1));
            _counters.Add(write.Key.Hash, PartitionCounters.ItemBytes, (write.Item?.SizeInBytes ?? 0) - (write.Existing?.SizeInBytes ?? 0));
            _local.AddWrites(write, writes, _counters);
            _expiry.AddWrites(write, writes);
        }
        _outbox.AddWrites(batch, writes);
        _changes.AddWrites(batch, writes);
        _recovery.AddWrites(batch, writes);
        _counters.TakeWrites(writes);
        return writes;
    }

    bool CommitQueue.IBatchParticipant.HasOwnWrites => _serving && _outbox.HasAcks;

    void CommitQueue.IBatchParticipant.Committed(List<PendingWrite> batch)
    {
        foreach (var write in batch) _items.SetDurable(write.Key, write.Pending);
        _outbox.MarkDurable(batch);
        _writesThisWindow += batch.Count;
        _local.Trim(!_commits.IsBusy && _items.PendingCount == 0);
        _splitter.CheckSize(options.Value.SplitThresholdBytes);
    }

    /// <summary>
    /// A failed commit fails its batch and everything queued behind it. The activation retires: the store
    /// holds the truth, and the next activation reads it with a new epoch.
    /// </summary>
    void CommitQueue.IBatchParticipant.Failed(List<PendingWrite> failed, Exception error)
    {
        _items.Abandon();
        Retire();
        if (error is StaleEpochException) LogFenced(logger, _scope.ToString(), _scope.Epoch);
        else LogCommitFailed(logger, error, _scope.ToString());
        var reply = DynamoErrors.NotStored();
        foreach (var write in failed) write.Done.TrySetException(reply);
    }

    // --- Splitting ---

    private void StartLoadTracking()
    {
        if (options.Value.HotSplitWritesPerSecond <= 0) return;
        var window = options.Value.HotSplitWindow;
        this.RegisterGrainTimer(_ =>
        {
            var hot = _writesThisWindow / window.TotalSeconds > options.Value.HotSplitWritesPerSecond;
            _writesThisWindow = 0;
            _hotWindows = hot ? _hotWindows + 1 : 0;
            if (_hotWindows >= options.Value.HotSplitWindows && _serving)
            {
                _hotWindows = 0;
                _splitter.Start("load");
            }
            return Task.CompletedTask;
        }, window, window);
    }

    // --- Capacity ---

    private Task StartCapacityReportsAsync() =>
        _capacity.StartReportsAsync(this, GrainFactory, null, _scope.PartitionId, options.Value.CapacityWindow, () => _serving, CheckThrottled);

    /// <summary>A partition held back by its per-partition cap for long enough splits for heat: each half gets a cap of its own.</summary>
    private void CheckThrottled(bool heldByPartitionCap)
    {
        _throttledWindows = heldByPartitionCap ? _throttledWindows + 1 : 0;
        if (_throttledWindows < options.Value.ThrottleSplitWindows) return;
        _throttledWindows = 0;
        _splitter.Start("throttling");
    }

    async Task PartitionSplitter.IParticipant.QuiesceAsync()
    {
        // Transactions holding items here finish first: their coordinator sends the commit to this partition, not the child.
        while (_intents.Count > 0) await _intents.Drained;
        while (_commits.IsBusy) await _commits.Idle;
        // A delivery round in flight ends first: the child must not deliver an item's newer change before it.
        await _outbox.DeliveryRound;
    }

    void PartitionSplitter.IParticipant.Adopt(PartitionRange range, double keptFraction)
    {
        _capacity.Keep(keptFraction);
        _items.Retain(range);
        _outbox.Retain(range);
        _intents.Retain(range);
        _records.Retain(range);
        // The parent's shard closes with its old range; the next one names it as parent, as the child's does.
        if (_changes.NeedsChange) _ = _commits.EnqueueRecords(_changes.Change());
    }

    void PartitionSplitter.IParticipant.Retire() => Retire();

    private void Retire()
    {
        _serving = false;
        DeactivateOnIdle();
    }

    // --- What the outbox needs ---

    IGrainFactory IPartitionHost.Grains => GrainFactory;
    ILogger IPartitionHost.Logger => logger;
    bool IPartitionHost.Serving => _serving;
    Task IPartitionHost.SplitDone => _splitter.Done;
    void IPartitionHost.KeepAlive(TimeSpan period) => DelayDeactivation(period);
    void IPartitionHost.KickCommit() => _commits.Kick();
    async Task IPartitionHost.RefreshTableAsync() => await RefreshTable(await GrainFactory.GetGrain<ITableGrain>(TableName).GetInfo());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} was opened by a newer activation than epoch {Epoch}; this one retires")]
    private static partial void LogFenced(ILogger logger, string partition, long epoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition} could not commit; pending writes fail and the activation retires")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, string partition);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Partition} activated ({ItemCount} items) at epoch {Epoch}")]
    private static partial void LogActivated(ILogger logger, string partition, long itemCount, long epoch);
}
