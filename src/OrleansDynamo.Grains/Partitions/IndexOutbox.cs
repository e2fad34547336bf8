using System.Globalization;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>What the outbox and the splitter need from their partition grain.</summary>
internal interface IPartitionHost
{
    IGrainFactory Grains { get; }
    ILogger Logger { get; }
    bool Serving { get; }
    /// <summary>Completes when no split is running.</summary>
    Task SplitDone { get; }
    void KeepAlive(TimeSpan period);
    Task RefreshTableAsync();
    /// <summary>Starts a commit for internal writes waiting without items.</summary>
    void KickCommit();
}

/// <summary>
/// Delivery of a table partition's changes to its global secondary indexes. Every commit also writes, for
/// each changed item, an outbox record (<see cref="RecordKind.Outbox"/>, in the same atomic commit) with
/// the item's new image, the index partition keys its entries may have had until now, and a sequence
/// number. After the commit the records are delivered to the index partitions, one round at a time so
/// that changes of one item are never reordered, and deleted once every index partition has applied
/// them. An activation reads its undelivered records and delivers them.
/// <para>Backfill (a global index added to a table with items): a range scan over the partition's items in
/// chunks, each chunk delivered before the next is read, its position stored so that a restart continues
/// where it stopped.</para>
/// </summary>
internal sealed partial class IndexOutbox(PartitionScope scope, ItemAccess items, IPartitionHost host, Hosting.OrleansDynamoClock clock)
{
    private const int DeliveryBatch = 2000;
    private const int BackfillChunk = 1000;
    private const string SequenceName = "sequence";
    private const string KeyName = "key";
    private const string ImageName = "image";
    private const string PreviousName = "previous";
    private static readonly TimeSpan DeliveryRetryDelay = TimeSpan.FromMilliseconds(500);

    // The newest undelivered change of each item, committed (Durable) or in the commit in flight.
    private readonly Dictionary<ItemKey, OutboxRecord> _outbox = [];
    // Backfill changes: not stored (their chunk is read again after a restart), delivered like the outbox.
    private readonly Dictionary<ItemKey, BackfillChange> _backfill = [];
    private readonly Dictionary<string, Task<long>> _backfills = new(StringComparer.Ordinal);
    private List<StoreWrite> _acks = [];
    private Task? _delivering;
    private Task _deliveryRound = Task.CompletedTask;
    private TaskCompletionSource? _backfillDrained;
    // Keys written while a backfill chunk is read: their own outbox records carry a newer image.
    private HashSet<ItemKey>? _watch;
    private readonly SequenceWatermark _sequences = new(scope, "outbox/sequence");

    private sealed record OutboxRecord(long Sequence, Item TableKey, Item? Image, IReadOnlyDictionary<string, AttributeValue[]> Previous)
    {
        public bool Durable { get; set; }
    }

    private sealed record BackfillChange(long Sequence, Item TableKey, Item Image, string IndexName);

    private TableInfo Table => scope.Table;
    private bool HasGlobalIndexes => Table.GlobalIndexes.Any();

    public int Size => _outbox.Count + _backfill.Count;

    /// <summary>When the oldest undelivered change was written, in UTC ticks (its sequence is taken from the clock); null when none waits.</summary>
    public long? OldestChangeTicks => _outbox.Count == 0 ? null : _outbox.Values.Min(record => record.Sequence);
    public bool HasAcks => _acks.Count > 0;

    /// <summary>Completes when the delivery round in flight (if any) has ended.</summary>
    public Task DeliveryRound => _deliveryRound;

    /// <summary>
    /// The next change sequence: above every one this space's partitions used (a partition taking over items after a
    /// split, a move or a restart continues above what their old owner used, whatever its clock), near the clock's ticks.
    /// </summary>
    private long NextSequence() => _sequences.Next(clock.GetUtcNow().UtcTicks);

    public async Task LoadAsync()
    {
        await _sequences.LoadAsync();
        var from = scope.RangeStartKey;
        while (true)
        {
            var records = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Outbox, from, scope.RangeEndKey, forward: true, limit: 4096);
            foreach (var stored in records)
            {
                var record = DecodeRecord(ItemCodec.Decode(stored.Value));
                _sequences.Raise(record.Sequence);
                _outbox[ItemKey.Of(record.TableKey, scope.Schema)] = record;
            }
            if (records.Count < 4096) break;
            from = OrderedKeyEncoding.Successor(records[^1].Key);
        }
    }

    /// <summary>Delivers what the activation found undelivered; called once the partition serves.</summary>
    public void Resume()
    {
        if (_outbox.Count > 0) StartDelivery();
    }

    /// <summary>A write was queued or became durable.</summary>
    public void Touched(ItemKey key) => _watch?.Add(key);

    /// <summary>
    /// The outbox writes of one commit batch (called while the batch is built): delivered records' deletes,
    /// and for each written item its record, merged with the undelivered one it replaces so that every index
    /// key it may still have is cleared.
    /// </summary>
    public void AddWrites(List<PendingWrite> batch, List<StoreWrite> writes)
    {
        writes.AddRange(_acks);
        _acks = [];
        if (!HasGlobalIndexes) return;
        foreach (var write in batch)
        {
            var earlier = _outbox.GetValueOrDefault(write.Key);
            var previous = new Dictionary<string, AttributeValue[]>(StringComparer.Ordinal);
            foreach (var index in Table.GlobalIndexes)
            {
                var keys = new HashSet<AttributeValue>(earlier?.Previous.GetValueOrDefault(index.Name) ?? []);
                // The replaced record's image may still be in flight to the index: its key is cleared too.
                foreach (var image in (Item?[])[write.Existing, earlier?.Image])
                    if (image is not null && IndexRules.Contains(index, image)) keys.Add(IndexRules.HashValueOf(index, image));
                previous[index.Name] = keys.ToArray();
            }
            var tableKey = scope.Schema.KeyOf(write.Item ?? write.Existing ?? earlier?.Image ?? throw new InvalidOperationException("A delete of nothing"));
            var record = new OutboxRecord(NextSequence(), tableKey, write.Item, previous);
            _outbox[write.Key] = record;
            writes.Add(new StoreWrite(RecordKind.Outbox, write.Key.Bytes, ItemCodec.Encode(EncodeRecord(record))));
        }
        if (batch.Count > 0) writes.Add(_sequences.Record());
    }

    public void MarkDurable(List<PendingWrite> batch)
    {
        foreach (var write in batch) Touched(write.Key);
        if (_outbox.Count == 0) return;
        foreach (var write in batch)
            if (_outbox.TryGetValue(write.Key, out var record)) record.Durable = true;
        StartDelivery();
    }

    /// <summary>Forgets what a split gave away: the child reads those records from the store.</summary>
    public void Retain(PartitionRange range)
    {
        foreach (var key in _outbox.Keys.Where(k => !range.Contains(k.Hash)).ToList()) _outbox.Remove(key);
        foreach (var key in _backfill.Keys.Where(k => !range.Contains(k.Hash)).ToList()) _backfill.Remove(key);
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
        while (host.Serving)
        {
            await host.SplitDone;
            var records = _outbox.Where(r => r.Value.Durable).Take(DeliveryBatch).ToList();
            var backfill = _backfill.Take(Math.Max(0, DeliveryBatch - records.Count)).ToList();
            if (records.Count == 0 && backfill.Count == 0)
            {
                _backfillDrained?.TrySetResult();
                return;
            }
            host.KeepAlive(TimeSpan.FromMinutes(2));
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
                _acks.Add(new StoreWrite(RecordKind.Outbox, key.Bytes, null));
            }
            foreach (var (key, change) in backfill)
                if (_backfill.TryGetValue(key, out var current) && ReferenceEquals(current, change)) _backfill.Remove(key);
            if (_backfill.Count == 0) _backfillDrained?.TrySetResult();
            // The delivered records' deletes go out with the next commit, or on their own.
            if (_acks.Count > 0) host.KickCommit();
        }
    }

    private async Task<bool> DeliverRoundAsync(List<KeyValuePair<ItemKey, OutboxRecord>> records, List<KeyValuePair<ItemKey, BackfillChange>> backfill)
    {
        var table = Table;
        var changes = new List<(IndexInfo Index, PartitionRange Range, IndexChange Change)>();
        foreach (var (_, record) in records)
        {
            foreach (var index in table.GlobalIndexes)
            {
                if (!record.Previous.TryGetValue(index.Name, out var previous)) continue;
                // Each index partition keeps at most one entry per item and index hash: a put replaces the
                // entry at its hash, and every other hash the item may have had gets a delete.
                var reached = new HashSet<ulong>();
                if (record.Image is { } image && IndexRules.Contains(index, image))
                {
                    var hash = KeyBytes.PartitionHash(IndexRules.HashValueOf(index, image));
                    reached.Add(hash);
                    changes.Add((index, index.Map!.Find(hash), new IndexChange(record.TableKey, record.Sequence, hash, IndexRules.Project(index, table.Schema, image))));
                }
                foreach (var old in previous)
                {
                    var hash = KeyBytes.PartitionHash(old);
                    if (reached.Add(hash)) changes.Add((index, index.Map!.Find(hash), new IndexChange(record.TableKey, record.Sequence, hash, null)));
                }
            }
        }
        foreach (var (_, change) in backfill)
        {
            if (table.FindIndex(change.IndexName) is not { IsGlobal: true } index || !IndexRules.Contains(index, change.Image)) continue;
            var hash = KeyBytes.PartitionHash(IndexRules.HashValueOf(index, change.Image));
            changes.Add((index, index.Map!.Find(hash), new IndexChange(change.TableKey, change.Sequence, hash, IndexRules.Project(index, table.Schema, change.Image))));
        }
        try
        {
            await Task.WhenAll(changes.GroupBy(c => (c.Index.IndexId, c.Range.PartitionId)).Select(group =>
                host.Grains.GetGrain<IIndexPartitionGrain>(IndexPartitionKey.Format(table.TableName, table.Incarnation, group.Key.IndexId, group.Key.PartitionId))
                    .Apply(group.Select(c => c.Change).ToList())));
            return true;
        }
        catch (Exception e)
        {
            LogDeliveryFailed(host.Logger, e, scope.ToString(), changes.Count);
            try
            {
                if (host.Serving) await host.RefreshTableAsync();
            }
            catch (Exception)
            {
                // The table is gone or this partition no longer serves; the loop ends or retries.
            }
            return false;
        }
    }

    // --- Backfill ---

    /// <summary>Starts (or polls) the backfill of a global index: null while it runs, then the number of items sent.</summary>
    public async Task<long?> BackfillAsync(string indexName, Task afterCommitsInFlight)
    {
        if (!_backfills.TryGetValue(indexName, out var backfill)) _backfills[indexName] = backfill = RunBackfillAsync(indexName, afterCommitsInFlight);
        if (!backfill.IsCompleted) return null;
        _backfills.Remove(indexName);
        return await backfill;
    }

    private async Task<long> RunBackfillAsync(string indexName, Task afterCommitsInFlight)
    {
        // Commits built before the index was known carry no outbox record for it; let them land first.
        await afterCommitsInFlight;
        var index = Table.FindIndex(indexName) ?? throw new InvalidOperationException($"No index {indexName}");
        var cursor = StoreKeys.Meta($"backfill/{index.IndexId}/{scope.PartitionId}");
        var from = await scope.Store.GetAsync(scope.Space, RecordKind.Meta, cursor) ?? scope.RangeStartKey;
        long sent = 0;
        while (true)
        {
            if (!host.Serving) throw new StaleRouteException($"Partition {scope} is not part of the table");
            await host.SplitDone;
            _watch = [];
            var records = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.Item, from, scope.RangeEndKey, forward: true, BackfillChunk);
            foreach (var record in records)
            {
                var item = ItemCodec.Decode(record.Value);
                var key = ItemKey.Of(item, scope.Schema);
                // An item written meanwhile, or with a write in flight, gets its own outbox record, newer than anything sent from here.
                if (_watch.Contains(key) || items.IsPending(key) || !scope.Owns(key.Hash)) continue;
                _backfill[key] = new BackfillChange(NextSequence(), scope.Schema.KeyOf(item), item, indexName);
                sent++;
            }
            _watch = null;
            // The chunk's sequences are durable before any index partition sees one of them.
            if (_backfill.Count > 0) await scope.Store.CommitAsync(scope.Space, scope.PartitionId, scope.Epoch, [_sequences.Record()]);
            while (_backfill.Count > 0)
            {
                if (!host.Serving) throw new StaleRouteException($"Partition {scope} is not part of the table");
                var drained = _backfillDrained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                StartDelivery();
                await Task.WhenAny(drained.Task, Task.Delay(TimeSpan.FromSeconds(1)));
            }
            var done = records.Count < BackfillChunk;
            if (!done) from = OrderedKeyEncoding.Successor(records[^1].Key);
            // Where a restart continues; removed when the partition has sent everything.
            await scope.Store.CommitAsync(scope.Space, scope.PartitionId, scope.Epoch, [new StoreWrite(RecordKind.Meta, cursor, done ? null : from)]);
            if (done) return sent;
        }
    }

    // --- Record encoding: an item of its own namespace (RecordKind.Outbox) ---

    private static Item EncodeRecord(OutboxRecord record) => new([
        KeyValuePair.Create(SequenceName, AttributeValue.FromS(record.Sequence.ToString(CultureInfo.InvariantCulture))),
        KeyValuePair.Create(KeyName, AttributeValue.FromM(record.TableKey)),
        KeyValuePair.Create(ImageName, record.Image is null ? AttributeValue.Null : AttributeValue.FromM(record.Image)),
        KeyValuePair.Create(PreviousName, AttributeValue.FromM(record.Previous.ToDictionary(p => p.Key, p => AttributeValue.FromL(p.Value)))),
    ]);

    private static OutboxRecord DecodeRecord(Item stored) => new(
        long.Parse(stored[SequenceName].S, CultureInfo.InvariantCulture),
        new Item(stored[KeyName].M),
        stored[ImageName].Type == AttributeType.M ? new Item(stored[ImageName].M) : null,
        stored[PreviousName].M.ToDictionary(p => p.Key, p => p.Value.L.ToArray(), StringComparer.Ordinal))
    {
        Durable = true,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not deliver {Changes} index changes; it retries")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception error, string partition, int changes);
}
