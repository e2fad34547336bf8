using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Streams;

namespace OrleansDynamo.Partitions;

/// <summary>
/// The partition's part of its table's stream: one open shard while the table has a stream, and a change
/// record for every write that changes an item, in the same store commit as the write (so a write is never
/// acknowledged without its record, nor a record kept without its write). Sequence numbers grow with every
/// record: the clock's microseconds, or one more than the last when writes come faster.
/// <para>A shard lives while the partition's range and the table's stream stay the same. When either changes
/// (a split, the stream turned off or on) the shard closes at its last record and, if there is a stream, a new one
/// opens, naming the old one as its parent when it continues the same stream; a split's child names the parent's
/// shard it came from. Readers that finish a parent before its children see every item's changes in order.</para>
/// </summary>
internal sealed class ChangeLog(PartitionScope scope, OrleansDynamoClock clock)
{
    private ShardInfo? _latest;
    private long _lastSequence;

    /// <summary>The shard records go to now; null while the table has no stream.</summary>
    public ShardInfo? Open => _latest is { IsOpen: true } shard ? shard : null;

    /// <summary>Reads the partition's newest shard and its last sequence number.</summary>
    public async Task LoadAsync()
    {
        var own = await OwnShardsAsync(forward: false, 1);
        if (own.Count == 0) return;
        _latest = own[0];
        var last = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.StreamRecord,
            StoreKeys.Shard(_latest.Number, 0), StoreKeys.Shard(_latest.Number + 1), forward: false, 1);
        _lastSequence = Math.Max(_latest.EndSequence ?? 0, last.Count == 0 ? _latest.StartSequence : StoreKeys.SequenceOf(last[0].Key));
    }

    /// <summary>This partition's shards, oldest first (or newest first), by their numbers.</summary>
    private async Task<List<ShardInfo>> OwnShardsAsync(bool forward, int limit) =>
        (await scope.Store.ReadRangeAsync(scope.Space, RecordKind.StreamShard, StoreKeys.Shard(ShardInfo.FirstOf(scope.PartitionId)),
            StoreKeys.Shard(ShardInfo.FirstOf(scope.PartitionId + 1)), forward, limit)).Select(ShardInfo.Decode).ToList();

    /// <summary>Whether the open shard no longer fits the table's stream or the partition's range.</summary>
    public bool NeedsChange
    {
        get
        {
            var stream = scope.Table.Stream;
            return Open is { } open
                ? stream is null || stream.Label != open.Label || open.RangeStart != scope.Range.Start || open.RangeEnd != scope.Range.End
                : stream is not null;
        }
    }

    /// <summary>
    /// The shard a split child (or a partition that never had a shard of this stream) continues: the newest
    /// shard of the stream, of another partition, whose range held this one's. Read at activation only.
    /// </summary>
    public async Task<ShardInfo?> FindAncestorAsync()
    {
        if (scope.Table.Stream is not { } stream || _latest?.Label == stream.Label) return null;
        var all = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.StreamShard, [], null, forward: true, int.MaxValue);
        return all.Select(ShardInfo.Decode)
            .Where(s => s.Label == stream.Label && s.PartitionId != scope.PartitionId && s.RangeStart <= scope.Range.Start && s.RangeEnd >= scope.Range.End)
            .MaxBy(s => s.CreatedMicros);
    }

    /// <summary>The shard records that close the open shard and open the next one, as <see cref="NeedsChange"/> says; they commit before any new change record.</summary>
    public List<StoreWrite> Change(ShardInfo? ancestor = null)
    {
        var writes = new List<StoreWrite>(2);
        if (!NeedsChange) return writes;
        var stream = scope.Table.Stream;
        ShardInfo? parent = ancestor;
        if (Open is { } open)
        {
            _latest = open with { EndSequence = Math.Max(_lastSequence, open.StartSequence) };
            writes.Add(_latest.Record());
            if (stream?.Label == open.Label) parent = open;
        }
        if (stream is null) return writes;
        var now = clock.UnixMicroseconds;
        var start = Math.Max(_lastSequence + 1, now);
        _latest = new ShardInfo(_latest is null ? ShardInfo.FirstOf(scope.PartitionId) : _latest.Number + 1, stream.Label, stream.ViewType,
            parent?.Number, scope.Range.Start, scope.Range.End, now, start, null, 0);
        _lastSequence = start - 1;
        writes.Add(_latest.Record());
        return writes;
    }

    /// <summary>The change records of a batch, next to its item writes.</summary>
    public void AddWrites(List<PendingWrite> batch, List<StoreWrite> writes)
    {
        if (Open is not { } shard) return;
        foreach (var write in batch)
        {
            if (!ChangeRecords.Changes(write.Existing, write.Item)) continue;
            var sequence = _lastSequence = Math.Max(_lastSequence + 1, clock.UnixMicroseconds);
            writes.Add(new StoreWrite(RecordKind.StreamRecord, StoreKeys.Shard(shard.Number, sequence),
                ChangeRecords.Encode(write.Key.Keys(scope.Schema), write.Existing, write.Encoded, shard.ViewType, write.ByTimeToLive)));
        }
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of this partition's records older than the retention, and the
    /// shards that closed before it (but the newest, which numbers the next). Each shard remembers how far it
    /// was trimmed, so a reader that was behind gets TrimmedDataAccessException rather than a silent gap.
    /// </summary>
    public async Task<List<StoreWrite>> TrimAsync(TimeSpan retention, int limit)
    {
        var horizon = clock.UnixMicroseconds - retention.Ticks / 10;
        var writes = new List<StoreWrite>();
        var trimmed = new List<(ShardInfo Shard, long Through, bool Done)>();
        foreach (var shard in await OwnShardsAsync(forward: true, int.MaxValue))
        {
            if (writes.Count >= limit) break;
            var old = await scope.Store.ReadRangeAsync(scope.Space, RecordKind.StreamRecord,
                StoreKeys.Shard(shard.Number, 0), StoreKeys.Shard(shard.Number, horizon), forward: true, limit - writes.Count);
            writes.AddRange(old.Select(r => new StoreWrite(RecordKind.StreamRecord, r.Key, null)));
            if (old.Count > 0 || shard.EndSequence < horizon)
                trimmed.Add((shard, old.Count > 0 ? StoreKeys.SequenceOf(old[^1].Key) : shard.TrimmedThrough, shard.EndSequence < horizon && old.Count < limit));
        }
        // Shard records are built from the newest state, after the reads: the open shard may have closed meanwhile.
        foreach (var (shard, through, done) in trimmed)
        {
            if (shard.Number == _latest?.Number) writes.Add((_latest = _latest with { TrimmedThrough = through }).Record());
            else if (done) writes.Add(new StoreWrite(RecordKind.StreamShard, StoreKeys.Shard(shard.Number), null));
            else if (!shard.IsOpen) writes.Add((shard with { TrimmedThrough = through }).Record());
        }
        return writes;
    }
}
