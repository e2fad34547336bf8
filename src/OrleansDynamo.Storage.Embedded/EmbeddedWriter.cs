using RocksDbSharp;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// The database's one writer thread: silo-wide group commit. Partition commits that arrive while a synced
/// write is in flight are checked against their epochs and go to RocksDB together in the next WriteBatch, so
/// one WAL sync serves every partition of every table. Other changes (opening a partition, a split, a map,
/// dropping a space) run alone, in arrival order, so a commit checked after them sees their epochs.
/// </summary>
/// <remarks>
/// One thread that owns every write needs no lock for the epoch check, takes no thread-pool thread per
/// blocked fsync, and hands RocksDB whole groups rather than relying on its writer queue to merge them.
/// </remarks>
internal sealed class EmbeddedWriter : IDisposable
{
    /// <summary>A partition's records, written only if its epoch is still the stored one.</summary>
    public sealed record Commit(StoreSpace Space, int PartitionId, long Epoch, byte[] EpochKey, List<(byte[] Key, byte[]? Value)> Records);

    private abstract class Request
    {
        // Completed from a pool thread (see Complete), so continuations may run where they are set.
        public TaskCompletionSource<object?> Done { get; } = new();
    }

    private sealed class CommitRequest(Commit commit) : Request
    {
        public Commit Commit { get; } = commit;
    }

    private sealed class AloneRequest(Func<object?> action) : Request
    {
        public Func<object?> Action { get; } = action;
    }

    private readonly RocksDb _db;
    private readonly WriteOptions _sync;
    private readonly Queue<Request> _queue = new();
    private readonly Thread _thread;
    private bool _stopping;

    public EmbeddedWriter(RocksDb db, WriteOptions sync)
    {
        _db = db;
        _sync = sync;
        _thread = new Thread(Run) { IsBackground = true, Name = "odyn embedded writer" };
        _thread.Start();
    }

    /// <summary>Completes once the records are durable; fails with the commit's stale-epoch error when its epoch has moved.</summary>
    public Task CommitAsync(Commit commit) => Submit(new CommitRequest(commit));

    /// <summary>Runs <paramref name="action"/> on the writer thread, after every commit before it is durable.</summary>
    public async Task<T> RunAloneAsync<T>(Func<T> action) => (T)(await Submit(new AloneRequest(() => action())))!;

    private Task<object?> Submit(Request request)
    {
        lock (_queue)
        {
            if (_stopping) throw new ObjectDisposedException(nameof(EmbeddedWriter));
            _queue.Enqueue(request);
            if (_queue.Count == 1) Monitor.Pulse(_queue);
        }
        return request.Done.Task;
    }

    private void Run()
    {
        var taken = new List<Request>();
        var group = new List<CommitRequest>();
        while (true)
        {
            lock (_queue)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_queue);
                if (_queue.Count == 0) return;
                while (_queue.TryDequeue(out var request)) taken.Add(request);
            }
            foreach (var request in taken)
            {
                if (request is CommitRequest commit)
                {
                    var (space, partitionId, epoch, epochKey, _) = commit.Commit;
                    if (epoch > 0 && EpochOf(epochKey) == epoch) group.Add(commit);
                    else Complete([commit], null, new StaleEpochException(space, partitionId, epoch));
                    continue;
                }
                Write(group);
                try
                {
                    Complete([request], ((AloneRequest)request).Action(), null);
                }
                catch (Exception e)
                {
                    Complete([request], null, e);
                }
            }
            Write(group);
            taken.Clear();
        }
    }

    /// <summary>One synced WriteBatch for the whole group; every member learns the outcome.</summary>
    private void Write(List<CommitRequest> group)
    {
        if (group.Count == 0) return;
        try
        {
            using var batch = new WriteBatch();
            foreach (var member in group)
            foreach (var (key, value) in member.Commit.Records)
            {
                if (value is null) batch.Delete(key);
                else batch.Put(key, value);
            }
            _db.Write(batch, _sync);
            Complete([.. group], null, null);
        }
        catch (Exception e)
        {
            Complete([.. group], null, e);
        }
        group.Clear();
    }

    /// <summary>
    /// Answers requests from one pool work item, so the writer goes straight on to the next group and each
    /// partition's continuation takes one hop (to its grain's scheduler) rather than two.
    /// </summary>
    private static void Complete(Request[] requests, object? result, Exception? error) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (requests, result, error) = state;
            foreach (var request in requests)
            {
                if (error is null) request.Done.TrySetResult(result);
                else request.Done.TrySetException(error);
            }
        }, (requests, result, error), preferLocal: false);

    private long EpochOf(byte[] key) => _db.Get(key) is { } stored ? System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(stored) : 0;

    /// <summary>Writes what was submitted, then stops the thread.</summary>
    public void Dispose()
    {
        lock (_queue)
        {
            _stopping = true;
            Monitor.Pulse(_queue);
        }
        _thread.Join();
    }
}
