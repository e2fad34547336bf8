using OrleansDynamo.Model;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// The PostgreSQL store with its transient failures retried (a lost connection, a restarted server, a terminated
/// backend: <see cref="PostgresStorageException.IsTransient"/>), a few times with a growing pause. Reads are safe to
/// retry. So are commits whose outcome is unknown: every write of a commit is a whole record put or deleted, fenced by
/// the partition's epoch, and a partition commits one batch at a time, so applying a batch twice leaves what applying it
/// once does. Opening takes one more epoch, which fences nothing that ran. A split is not retried: its outcome is found
/// by reading the map, as the table grain does after any failed split.
/// </summary>
public sealed class RetryingPartitionStore(IPartitionStore inner) : IPartitionStore
{
    /// <summary>Attempts in all; the pauses between them are 100, 200, 400 and 800 ms, about 1.5 s together.</summary>
    public const int MaxAttempts = 5;

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);

    public Task<StoredMap> EnsureMapAsync(StoreSpace space, PartitionMap initial, CancellationToken cancellationToken = default) =>
        RetryAsync(() => inner.EnsureMapAsync(space, initial, cancellationToken), cancellationToken);

    public Task<StoredMap?> ReadMapAsync(StoreSpace space, CancellationToken cancellationToken = default) =>
        RetryAsync(() => inner.ReadMapAsync(space, cancellationToken), cancellationToken);

    public Task<SplitOutcome> SplitAsync(StoreSpace space, int parentId, long parentEpoch, ulong splitAt, CancellationToken cancellationToken = default) =>
        inner.SplitAsync(space, parentId, parentEpoch, splitAt, cancellationToken);

    public Task<PartitionOpening> OpenAsync(StoreSpace space, int partitionId, CancellationToken cancellationToken = default) =>
        RetryAsync(() => inner.OpenAsync(space, partitionId, cancellationToken), cancellationToken);

    public Task CommitAsync(StoreSpace space, int partitionId, long epoch, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) =>
        RetryAsync(async () =>
        {
            await inner.CommitAsync(space, partitionId, epoch, writes, cancellationToken);
            return true;
        }, cancellationToken);

    public async ValueTask<byte[]?> GetAsync(StoreSpace space, RecordKind kind, byte[] key, CancellationToken cancellationToken = default) =>
        await RetryAsync(() => inner.GetAsync(space, kind, key, cancellationToken).AsTask(), cancellationToken);

    public async ValueTask<byte[]?[]> GetManyAsync(StoreSpace space, RecordKind kind, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default) =>
        await RetryAsync(() => inner.GetManyAsync(space, kind, keys, cancellationToken).AsTask(), cancellationToken);

    public async ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit,
        CancellationToken cancellationToken = default) =>
        await RetryAsync(() => inner.ReadRangeAsync(space, kind, from, to, forward, limit, cancellationToken).AsTask(), cancellationToken);

    public Task<IReadOnlyList<StoreSpace>> ListSpacesAsync(CancellationToken cancellationToken = default) =>
        RetryAsync(() => inner.ListSpacesAsync(cancellationToken), cancellationToken);

    public Task DeleteSpaceAsync(StoreSpace space, CancellationToken cancellationToken = default) =>
        RetryAsync(async () =>
        {
            await inner.DeleteSpaceAsync(space, cancellationToken);
            return true;
        }, cancellationToken);

    /// <remarks>Only opening is retried: a snapshot that lost its connection has lost its instant too.</remarks>
    public Task<IStoreSnapshot> OpenSnapshotAsync(IReadOnlyList<StoreSpace> spaces, CancellationToken cancellationToken = default) =>
        RetryAsync(() => inner.OpenSnapshotAsync(spaces, cancellationToken), cancellationToken);

    private static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var pause = FirstPause;
        for (var attempts = 1; ; attempts++, pause *= 2)
        {
            try
            {
                return await attempt();
            }
            catch (PostgresStorageException e) when (e.IsTransient && attempts < MaxAttempts)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }
}
