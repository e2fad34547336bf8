using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>One item change waiting for its commit: the value it was decided on, the new value, and its acknowledgement.</summary>
internal sealed class PendingWrite(ItemKey key, Item? existing, Item? item, bool byTimeToLive = false)
{
    /// <summary>A deletion by time to live: its stream record names the service, and it consumes no capacity.</summary>
    public bool ByTimeToLive { get; } = byTimeToLive;
    public ItemKey Key { get; } = key;
    public Item? Existing { get; } = existing;
    public Item? Item { get; } = item;
    /// <summary>The new value in its stored form, encoded once.</summary>
    public byte[]? Encoded { get; } = item is null ? null : ItemCodec.Encode(item);
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ItemAccess.PendingValue Pending { get; set; } = null!;
}

/// <summary>
/// Group commit: writes queue while a commit is in flight and go to the store together in the next one.
/// A batch is acknowledged only after the store has made it durable; a failed commit fails its batch and
/// everything queued behind it (those writes were decided on top of it).
/// </summary>
internal sealed class CommitQueue(PartitionScope scope, bool groupCommit, CommitQueue.IBatchParticipant participant)
{
    /// <summary>What a partition adds to each commit and does once it is durable or has failed.</summary>
    public interface IBatchParticipant
    {
        /// <summary>The store writes of a batch: its items and everything committed with them (indexes, counters, outbox).</summary>
        List<StoreWrite> BuildWrites(List<PendingWrite> batch);
        /// <summary>Internal records waiting to be written even without items (delivered outbox records, backfill positions).</summary>
        bool HasOwnWrites { get; }
        void Committed(List<PendingWrite> batch);
        void Failed(List<PendingWrite> failed, Exception error);
    }

    /// <summary>Writes that commit together, with internal records of their own (transaction intents).</summary>
    private sealed record Unit(List<PendingWrite> Writes, List<StoreWrite> Records, TaskCompletionSource? Done);

    private List<Unit> _queue = [];
    private Task? _flushing;

    /// <summary>Completes when no commit is in flight.</summary>
    public Task Idle => _flushing ?? Task.CompletedTask;

    public bool IsBusy => _queue.Count > 0 || _flushing is { IsCompleted: false };

    public Task Enqueue(PendingWrite write)
    {
        _queue.Add(new Unit([write], [], null));
        Kick();
        return write.Done.Task;
    }

    /// <summary>
    /// Queues records and item writes that must be durable together (a transaction's intents and the writes
    /// that apply them); completes when they are. They are never split across two store commits.
    /// </summary>
    public Task EnqueueRecords(List<StoreWrite> records, List<PendingWrite>? writes = null)
    {
        var unit = new Unit(writes ?? [], records, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Add(unit);
        Kick();
        // Completes with the store commit that holds the whole unit, as its writes' own tasks do.
        return unit.Done!.Task;
    }

    /// <summary>Starts a commit if none is in flight (for writes queued, or the participant's own), unless held.</summary>
    public void Kick()
    {
        if (_holds == 0 && _flushing is (null or { IsCompleted: true })) _flushing = FlushAsync();
    }

    private int _holds;

    /// <summary>
    /// Writes queued until the returned scope ends start one commit together: a batch's writes, rather than its first
    /// alone and the rest in the next. Nothing awaits inside the scope.
    /// </summary>
    public Held Hold()
    {
        _holds++;
        return new Held(this);
    }

    public readonly struct Held(CommitQueue queue) : IDisposable
    {
        public void Dispose()
        {
            if (--queue._holds == 0) queue.Kick();
        }
    }

    /// <summary>
    /// A store commit carries at most this many bytes of queued writes (or one unit, when a unit alone is larger), so a
    /// burst of large items makes several commits rather than one that no store takes whole.
    /// </summary>
    public const long MaxBatchBytes = 16L * 1024 * 1024;

    /// <summary>The units of the next commit, oldest first: all that fit under <see cref="MaxBatchBytes"/> (one without group commit).</summary>
    private List<Unit> TakeBatch()
    {
        var taken = 0;
        long bytes = 0;
        while (taken < _queue.Count && (taken == 0 || (groupCommit && bytes + BytesOf(_queue[taken]) <= MaxBatchBytes)))
            bytes += BytesOf(_queue[taken++]);
        var units = _queue.GetRange(0, taken);
        _queue.RemoveRange(0, taken);
        return units;
    }

    private static long BytesOf(Unit unit) =>
        unit.Writes.Sum(w => (long)w.Key.Bytes.Length + (w.Encoded?.Length ?? 0)) + unit.Records.Sum(r => (long)r.Key.Length + (r.Value?.Length ?? 0));

    private async Task FlushAsync()
    {
        while (_queue.Count > 0 || participant.HasOwnWrites)
        {
            var units = TakeBatch();
            var batch = units.SelectMany(u => u.Writes).ToList();
            var writes = participant.BuildWrites(batch);
            foreach (var unit in units) writes.AddRange(unit.Records);
            var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            using var span = Hosting.OrleansDynamoTelemetry.StartCommit(batch.Count);
            try
            {
                await scope.Store.CommitAsync(scope.Space, scope.PartitionId, scope.Epoch, writes);
                Hosting.OrleansDynamoTelemetry.RecordCommit(batch.Count, startedAt);
            }
            catch (Exception e)
            {
                span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
                var failedUnits = units.Concat(_queue).ToList();
                _queue = [];
                participant.Failed(failedUnits.SelectMany(u => u.Writes).ToList(), e);
                foreach (var unit in failedUnits) unit.Done?.TrySetException(DynamoErrors.NotStored());
                return;
            }
            participant.Committed(batch);
            foreach (var write in batch) write.Done.TrySetResult();
            foreach (var unit in units) unit.Done?.TrySetResult();
        }
    }
}
